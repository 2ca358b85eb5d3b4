"""What the PDF record sheets share: the Chinese CID font, the styles, the facts table and
the list table, times in Asia/Shanghai, yuan from fen, and page numbers.

reportlab's built-in CID font STSong-Light renders Chinese without shipping a font file;
every PDF reader (and poppler) carries or substitutes it. Labels are Chinese with the
English beside them in the same cell ("受理渠道 Channel"): auditors read Chinese, users
switch languages.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from aftersales.core.clock import DEFAULT_ZONE, to_zone

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
MARGIN = 20 * mm
WIDTH = A4[0] - 2 * MARGIN  # 170 mm of text width
SHADE = colors.HexColor("#eef2f6")
MUTED = colors.HexColor("#52606d")
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=9, leading=12, alignment=1,
                          textColor=MUTED)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=11, leading=16, spaceBefore=6)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=13)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11)
GRID = TableStyle([
    ("FONT", (0, 0), (-1, -1), FONT, 9),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
    ("BACKGROUND", (0, 0), (0, -1), SHADE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
])
HEADER_ROW = TableStyle([("BACKGROUND", (0, 1), (0, -1), colors.white),
                         ("BACKGROUND", (0, 0), (-1, 0), SHADE)])


@dataclass(frozen=True)
class Line:
    label: str
    value: str


def when(moment: datetime | None) -> str:
    """A stored (UTC) time as Beijing time, to the minute; "—" for none."""
    return to_zone(moment, DEFAULT_ZONE).strftime("%Y-%m-%d %H:%M") if moment else "—"


def yuan(fen: int) -> str:
    """Fen as yuan, exactly (money is never a float)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def text(value: str | None, style: ParagraphStyle = CELL) -> Paragraph:
    """Free text in a cell: escaped (a "<" typed by a customer is text, not markup), line
    breaks kept."""
    body = escape(value or "—").replace("\n", "<br/>")
    return Paragraph(body, style)


def facts(lines: Sequence[Line], label_width: float = 38 * mm) -> Table:
    """Two columns, the shaded label beside its value."""
    rows = [[text(line.label), text(line.value)] for line in lines]
    table = Table(rows, colWidths=[label_width, WIDTH - label_width])
    table.setStyle(GRID)
    return table


def listing(header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float],
            style: ParagraphStyle = CELL) -> Table:
    """A list with a shaded header row repeated on every page; plain strings are wrapped
    (and escaped), flowables are kept as they are."""
    def cell(value):
        return value if isinstance(value, Flowable) else text(str(value), style)

    data = [[cell(name) for name in header]] + [[cell(value) for value in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(HEADER_ROW)
    return table


class _NumberedCanvas(Canvas):
    """Holds each page back until the end so every footer can say "page n of N"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.drawCentredString(A4[0] / 2, 8 * mm,
                                   f"第 {number} 页，共 {total} 页  Page {number} of {total}")
            super().showPage()
        super().save()


def build(story: list, title: str, author: str) -> bytes:
    """The story as A4 PDF bytes, numbered at the foot of every page."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
        bottomMargin=16 * mm, title=title, author=author,
    )
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
