"""The render step of the record sheets (core/sheets.py holds the data step and what the
data is): a sheet's data to PDF bytes with reportlab, from the data alone (no database, no
app, no clock), always the same bytes for the same data. Imported only by
`sheets.render_blocks`, so reportlab loads when the first sheet is drawn.

reportlab's built-in CID font STSong-Light renders Chinese without shipping a font file;
every PDF reader (and poppler) carries or substitutes it.
"""

import base64
import functools
import io
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import _FUZZ
from reportlab.platypus.paraparser import ParaFrag

from aftersales.core.page import MARGIN_MM, WIDTH_MM

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
MARGIN = MARGIN_MM * mm
WIDTH = WIDTH_MM * mm
LABEL_WIDTH = 38 * mm
SHADE = colors.HexColor("#eef2f6")
MUTED = colors.HexColor("#52606d")
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=9, leading=12, alignment=1,
                          textColor=MUTED)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=11, leading=16, spaceBefore=6)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=13)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11)
MONO = SMALL.clone("mono", fontName="Courier", fontSize=7.5, leading=10)
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
AS_OF = "数据截至 Data as of"


# --- the render step: data to PDF bytes -------------------------------------------------


class _Text(Paragraph):
    """A paragraph that breaks its lines once per width: platypus wraps a table's cells to
    size the table, again to draw each cell, and again for every KeepTogether and page
    split around it (two to three times a paragraph). The lines depend on the text, style
    and width alone, so the same lines come back."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        if availWidth >= _FUZZ and "blPara" in self.__dict__ and self._wrapped_at == availWidth:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


class _Cell(_Text):
    """Plain text in a table cell, whose lines are shared with every cell of the same text,
    style and width (the labels, headers and states repeated on every sheet). Only a cell:
    a table never splits one, and splitting a paragraph rewrites its lines."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        key = (self.text, self.style.name, availWidth)
        known = _CELL_LINES.get(key)
        if known is None:
            size = super().wrap(availWidth, availHeight)
            if len(_CELL_LINES) >= _CELL_LINES_KEPT:
                _CELL_LINES.clear()  # names and times rarely repeat: memory stays flat
            _CELL_LINES[key] = (self.blPara, self._wrapWidths, self.height)
            return size
        self.blPara, self._wrapWidths, self.height = known
        self.width = self._wrapped_at = availWidth
        return self.width, self.height


_CELL_LINES: dict[tuple[str, str, float], tuple] = {}
_CELL_LINES_KEPT = 20_000


def text(value: str | None, style: ParagraphStyle = CELL) -> Paragraph:
    """Free text: escaped, line breaks kept."""
    return _paragraph(value, style, _Text)


def cell(value: str | None, style: ParagraphStyle = CELL) -> Paragraph:
    """Text in a table cell: plain text shares its lines (_Cell)."""
    return _paragraph(value, style, _Cell)


def _paragraph(value: str | None, style: ParagraphStyle, plain_kind: type[_Text]) -> Paragraph:
    value = value or "—"
    if _plain(value):
        return plain_kind(value, style, frags=[_fragment(style).clone(text=value)])
    return _Text(escape(value).replace("\n", "<br/>"), style)


def _plain(value: str) -> bool:
    """Text the markup parser would give back unchanged as one fragment: no markup
    characters, no line break, spaces single and inside. Most cells are; parsing them
    was a sixth of a sheet's time."""
    return not _MARKUP.intersection(value) and value == " ".join(value.split())


_MARKUP = frozenset("&<>")


@functools.cache
def _fragment(style: ParagraphStyle) -> ParaFrag:
    """The style's text fragment as the parser makes it, parsed once."""
    (fragment,) = Paragraph("x", style).frags
    return fragment


def _facts(lines: Sequence[Sequence[str]]) -> Table:
    """Two columns, the shaded label beside its value."""
    rows = [[cell(label), cell(value)] for label, value in lines]
    table = Table(rows, colWidths=[LABEL_WIDTH, WIDTH - LABEL_WIDTH])
    table.setStyle(GRID)
    return table


def _listing(spec: dict) -> Table:
    """A list with a shaded header row repeated on every page; an empty one shows "—"."""
    style = SMALL if spec.get("small") else CELL
    mono = set(spec.get("mono_columns", ()))
    header = spec["header"]
    rows = spec["rows"] or [["—"] + [""] * (len(header) - 1)]
    data = [[cell(name, style) for name in header]]
    data += [[cell(value, MONO if column in mono else style) for column, value in enumerate(row)]
             for row in rows]
    widths = [width * mm for width in spec.get("widths_mm", ())] or None  # None: by content
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(HEADER_ROW)
    return table


def _image(block: dict) -> Image:
    image = Image(io.BytesIO(base64.b64decode(block["image_png"])))
    width, height = block.get("max_mm", (70, 28))
    image._restrictSize(width * mm, height * mm)
    return image


RENDERERS: dict[str, Callable[[dict], Flowable]] = {
    "title": lambda block: text(block["title"], TITLE),
    "subtitle": lambda block: text(block["subtitle"], SUBTITLE),
    "heading": lambda block: text(block["heading"], HEADING),
    "text": lambda block: text(block["text"]),
    "spacer_mm": lambda block: Spacer(1, block["spacer_mm"] * mm),
    "facts": lambda block: _facts(block["facts"]),
    "listing": lambda block: _listing(block["listing"]),
    "image_png": _image,
}


def _flowable(block: dict) -> Flowable:
    kinds = [key for key in block if key in RENDERERS]
    if len(kinds) != 1:
        raise ValueError(f"A sheet block needs one of {sorted(RENDERERS)}: {sorted(block)}")
    return RENDERERS[kinds[0]](block)


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


def _sections(blocks: list[dict]) -> list[Flowable]:
    """The blocks' flowables, each heading kept on one page with what it heads, so no
    heading is left alone at the foot of a page (the customer's sign-off there, the
    signature on the next): a short section (facts, text, an image) moves whole; one with a
    listing, which may run for pages, keeps its heading with its first block only."""
    sections: list[list[dict]] = [[]]  # what comes before the first heading, then sections
    for block in blocks:
        if "heading" in block:
            sections.append([])
        sections[-1].append(block)
    story = [_flowable(block) for block in sections[0]]
    for section in sections[1:]:
        kept = 2 if any("listing" in block for block in section) else len(section)
        story.append(KeepTogether([_flowable(block) for block in section[:kept]]))
        story += [_flowable(block) for block in section[kept:]]
    return story


def render_blocks(data: dict) -> bytes:
    """A sheet's data as A4 PDF bytes, numbered at the foot of every page, ending with when
    the data was taken. Invariant: no creation time or random id, so the same data gives the
    same bytes at every export."""
    story = _sections(data["blocks"])
    story += [Spacer(1, 6 * mm), text(f"{AS_OF} {data['as_of']}", SUBTITLE)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
        bottomMargin=16 * mm, title=data["title"], author=data["author"], invariant=1,
    )
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
