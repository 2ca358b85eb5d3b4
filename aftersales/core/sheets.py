"""The PDF record sheets, in two steps: a sheet module turns a record into *data* (a small,
JSON-ready list of blocks: everything the sheet prints and nothing more), and
`render_blocks` turns data into PDF bytes (core/pdf.py, with reportlab, loaded when the
first sheet is drawn rather than when the application starts), from the data alone (no
database, no app, no clock) and always the same bytes for the same data. So a sheet whose
data was kept when an audit period was frozen prints the same at every export, whatever
happened to the record.

The data of a sheet:
    {"title": "WO00000008 维修服务记录单",      the PDF's title (metadata)
     "author": "售后服务中心",                   the PDF's author (metadata)
     "as_of": "2026-06-07 11:22",               when the data was taken (printed at the end)
     "blocks": [...]}
and its blocks, each a dict with one kind key:
    {"title": "…"}  {"subtitle": "…"}  {"heading": "…"}  {"text": "…"}  {"spacer_mm": 4}
    {"facts": [["标签 Label", "value"], …]}                  shaded label beside its value
    {"listing": {"header": […], "rows": [[…], …], "widths_mm": […],
                 "small": true, "mono_columns": [4]}}       a table, header on every page
    {"image_png": "<base64>", "max_mm": [70, 28]}            an image, shrunk to fit
Text is always text: escaped (a "<" typed by a customer is no markup), line breaks kept.
Labels are Chinese with the English beside them ("受理渠道 Channel"): auditors read Chinese,
users switch languages.
"""

import base64
from datetime import datetime

from flask_babel import force_locale

from aftersales.core.clock import DEFAULT_ZONE, to_zone

# --- the data step: values as the sheet prints them ------------------------------------


def when(moment: datetime | None) -> str:
    """A stored (UTC) time as Beijing time, to the minute; "—" for none."""
    return to_zone(moment, DEFAULT_ZONE).strftime("%Y-%m-%d %H:%M") if moment else "—"


def yuan(fen: int) -> str:
    """Fen as yuan, exactly (money is never a float)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def both(label) -> str:
    """A translatable label in Chinese with the English beside it: "热线 Hotline"."""
    with force_locale("zh"):
        chinese = str(label)
    with force_locale("en"):
        english = str(label)
    return side_by_side(chinese, english)


def side_by_side(chinese: str, english: str) -> str:
    """"热线 Hotline"; a text that reads the same in both (a name, a time) once."""
    return chinese if chinese == english else f"{chinese} {english}"


def png(content: bytes) -> str:
    """An image for a block: base64 text, so the data stays JSON."""
    return base64.b64encode(content).decode("ascii")


def document(title: str, author: str, as_of: datetime, blocks: list[dict]) -> dict:
    """A sheet's data: its blocks, its PDF title and author, and when the data was taken."""
    return {"title": title, "author": author, "as_of": when(as_of), "blocks": blocks}


def render_blocks(data: dict) -> bytes:
    """The sheet's PDF bytes: always the same for the same data."""
    from aftersales.core import pdf  # reportlab: loaded when a sheet is drawn, not at start

    return pdf.render_blocks(data)
