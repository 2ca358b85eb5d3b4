"""The sign-in sheet of a session and the training record of a person, as PDF (reportlab,
Chinese in the built-in CID font STSong-Light, so no font file is needed) and as XLSX."""

import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from aftersales.core.clock import to_zone
from aftersales.training import labels, services, sessions
from aftersales.training.models import Staff, TrainingSession

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=4 * mm)
TEXT = ParagraphStyle("text", fontName=FONT, fontSize=10, leading=15)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12)


@dataclass(frozen=True)
class Sheet:
    title: str
    facts: list[tuple[str, str]]
    header: list[str]
    rows: list[list[str]]
    widths: tuple[float, ...] = ()  # shares of the page width, by column


def _local(moment: datetime | None, with_date: bool = True) -> str:
    if moment is None:
        return ""
    return to_zone(moment).strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def sign_in_sheet(session: Session, training: TrainingSession) -> Sheet:
    lines = sessions.roster(session, training.id)
    facts = [
        (_("Topic"), training.topic),
        (_("Kind"), labels.kind(training.kind)),
        (_("Lecturer"), training.trainer),
        (_("Time"), f"{_local(training.starts_at)} – {_local(training.ends_at, False)}"),
        (_("Place"), training.place),
        (_("Pass mark"), "—" if training.pass_mark is None else str(training.pass_mark)),
    ]
    rows = []
    for number, line in enumerate(lines, start=1):
        attendance = line.attendance
        rows.append([
            str(number), line.employee_no, line.name,
            _local(attendance.signed_in_at) or _("absent"),
            labels.method(attendance.method) if attendance.method else "",
            "" if attendance.score is None else str(attendance.score),
            "" if attendance.passed is None else (_("pass") if attendance.passed else _("fail")),
        ])
    return Sheet(
        _("Training sign-in sheet"), facts,
        ["#", _("Employee no."), _("Full name"), _("Signed in"), _("How"), _("Marks"), _("Result")],
        rows, (0.06, 0.16, 0.2, 0.24, 0.12, 0.1, 0.12),
    )


def training_record(session: Session, staff: Staff) -> Sheet:
    lines = sessions.training_record(session, staff.id)
    certificates = services.certificates_of(session, staff.id)
    hours: dict[int, float] = {}
    for line in lines:
        year = to_zone(line.starts_at).year
        hours[year] = round(hours.get(year, 0) + line.minutes / 60, 1)
    facts = [
        (_("Employee no."), staff.employee_no),
        (_("Full name"), staff.name),
        (_("Post"), labels.post(staff.post)),
        (_("Department"), labels.department(staff.department)),
        (_("Certificates"), "; ".join(
            f"{labels.certificate(c.type)} {c.number} ("
            + (_("valid until %(day)s", day=c.expires_on.isoformat()) if c.expires_on
               else _("does not expire")) + ")"
            for c in certificates
        ) or "—"),
        (_("Training hours by year"), "; ".join(
            f"{year}: {value}" for year, value in sorted(hours.items(), reverse=True)
        ) or "—"),
    ]
    rows = [
        [_local(line.starts_at), line.topic, labels.kind(line.kind), line.trainer,
         f"{line.minutes / 60:.1f}", "" if line.score is None else str(line.score),
         "" if line.passed is None else (_("pass") if line.passed else _("fail"))]
        for line in lines
    ]
    return Sheet(
        _("Training record"), facts,
        [_("Time"), _("Topic"), _("Kind"), _("Lecturer"), _("Hours"), _("Marks"), _("Result")],
        rows, (0.19, 0.3, 0.12, 0.15, 0.08, 0.08, 0.08),
    )


def pdf(sheet: Sheet) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=sheet.title,
    )
    story = [Paragraph(sheet.title, TITLE)]
    for label, value in sheet.facts:
        story.append(Paragraph(f"<b>{_escape(label)}</b>：{_escape(value)}", TEXT))
    story.append(Spacer(1, 5 * mm))
    data = [[Paragraph(_escape(cell), CELL) for cell in sheet.header]]
    data += [[Paragraph(_escape(cell), CELL) for cell in row] for row in sheet.rows]
    if not sheet.rows:
        data.append([Paragraph("—", CELL)] + [""] * (len(sheet.header) - 1))
    width = A4[0] - 30 * mm
    table = Table(data, repeatRows=1,
                  colWidths=[share * width for share in sheet.widths] or None)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    story.append(table)
    document.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx(sheet: Sheet) -> bytes:
    workbook = Workbook()
    page = workbook.active
    page.title = sheet.title[:31]
    page.append([sheet.title])
    page["A1"].font = Font(bold=True, size=14)
    for label, value in sheet.facts:
        page.append([label, value])
    page.append([])
    page.append(sheet.header)
    for cell in page[page.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        page.append([_guarded(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _guarded(value: str) -> str:
    """A cell starting like a formula is written as text, never run by the spreadsheet."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
