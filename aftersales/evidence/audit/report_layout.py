"""How the audit report looks: its fonts, page, colours and paragraph styles, and the small
builders its parts are made of (a bilingual pair, a grid, a section heading)."""

from datetime import datetime
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    CondPageBreak,
    Paragraph,
    Table,
    TableStyle,
)

from aftersales.core.clock import to_zone

FONT = "STSong-Light"
LATIN, LATIN_BOLD, MONO = "Helvetica", "Helvetica-Bold", "Courier"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP_MARGIN = 20 * mm  # the Chinese title is the first line below it on page 1
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK, MUTED = colors.HexColor("#1f2933"), colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
HEAD_FILL, BAND_FILL = colors.HexColor("#e8eef5"), colors.HexColor("#f3f5f8")
STATUS_FILL = {
    "met": colors.HexColor("#e3f1e6"), "partly_met": colors.HexColor("#fcefd2"),
    "not_met": colors.HexColor("#f8dcdc"), "no_data": colors.HexColor("#eceff1"),
    "not_applicable": colors.HexColor("#f5f5f5"),
}


def style(name: str, size: float, leading: float, **more) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=more.pop("fontName", FONT), fontSize=size,
                          leading=leading, textColor=more.pop("textColor", INK), **more)


TITLE_ZH = style("title_zh", 24, 32, wordWrap="CJK")
TITLE_EN = style("title_en", 14, 19, textColor=MUTED)
H1 = style("h1", 15, 21, wordWrap="CJK", spaceBefore=4 * mm, spaceAfter=1 * mm)
H1_EN = style("h1_en", 10.5, 14, textColor=MUTED, spaceAfter=3 * mm)
H2 = style("h2", 11, 16, wordWrap="CJK", spaceBefore=2 * mm, spaceAfter=1 * mm)
TEXT = style("text", 9.5, 14, wordWrap="CJK")
TEXT_EN = style("text_en", 8.5, 12, textColor=MUTED)
CELL = style("cell", 8.5, 12, wordWrap="CJK")
CELL_EN = style("cell_en", 7.5, 10, wordWrap="CJK", textColor=MUTED)
CELL_RIGHT = style("cell_right", 8.5, 12, alignment=2)
SCORE = style("score", 11, 20)
REMEDY_EN = style("remedy_en", 7.5, 10, wordWrap="CJK", textColor=MUTED, spaceAfter=2)
CODE_BOX = style("code_box", 8, 11, fontName=MONO, backColor=BAND_FILL, borderPadding=2.5 * mm,
                  spaceBefore=5 * mm, spaceAfter=6 * mm, leftIndent=2.5 * mm, rightIndent=2.5 * mm)


def is_latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


CONTROL = dict.fromkeys(range(32), " ") | {ord("\n"): "\n"}


def mixed(text: str, latin: str = LATIN) -> str:
    """Paragraph markup for plain text: escaped, its Latin runs in Helvetica (the CID
    font's Latin glyphs are cramped), Chinese and full-width punctuation in the CID font;
    line breaks kept, other control characters made spaces."""
    runs = ((key, "".join(chars)) for key, chars in groupby(str(text).translate(CONTROL), is_latin))
    return "".join(
        f'<font face="{latin}">{escaped(run)}</font>' if is_latin else escaped(run)
        for is_latin, run in runs
    )


def escaped(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def mono(text: str, size: float = 7.5) -> str:
    return f'<font face="{MONO}" size="{size}">{escape(str(text))}</font>'


def para(text: str, style: ParagraphStyle = CELL) -> Paragraph:
    return Paragraph(mixed(text), style)


def pair_of(pair: tuple[str, str], zh_style=CELL, en_style=CELL_EN) -> list[Paragraph]:
    """Chinese over English, as the flowables of one table cell."""
    return [para(pair[0], zh_style), para(pair[1], en_style)]


def inline(pair: tuple[str, str]) -> str:
    """Chinese and English on one line, as paragraph markup."""
    return mixed(f"{pair[0]} {pair[1]}")


def local_time(moment: datetime) -> str:
    return to_zone(moment).strftime("%Y-%m-%d %H:%M:%S") + " (UTC+8, Asia/Shanghai)"


def num_text(value) -> str:
    return f"{float(value):g}"


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def grid(data, widths, header_rows=1, extra=()) -> Table:
    # splitInRow: a row taller than a page (a long description) continues on the next.
    table = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="LEFT", splitInRow=1)
    head = [("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL)] if header_rows else []
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        *head,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *extra,
    ]))
    return table


def facts_table(lines: list[tuple[tuple[str, str], list | Paragraph]], label_width=58 * mm):
    data = [[pair_of(label), value] for label, value in lines]
    return grid(data, [label_width, BODY_WIDTH - label_width], header_rows=0, extra=[
        ("BACKGROUND", (0, 0), (0, -1), BAND_FILL),
    ])


class Heading(Paragraph):
    """A section heading that also becomes an entry of the PDF's outline."""

    def __init__(self, pair: tuple[str, str]):
        super().__init__(mixed(pair[0]), H1)
        num_text, _, english = pair[1].partition(" ")
        self.outline = f"{pair[0]} {english}" if num_text.isdigit() else f"{pair[0]} {pair[1]}"
        self.keepWithNext = True


def section(pair: tuple[str, str]) -> list:
    english = para(pair[1], H1_EN)
    english.keepWithNext = True
    return [CondPageBreak(60 * mm), Heading(pair), english]


def subheading(pair: tuple[str, str]) -> Paragraph:
    heading = Paragraph(inline(pair), H2)
    heading.keepWithNext = True
    return heading
