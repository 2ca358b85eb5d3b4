"""The sign-in sheet of a session and the training record of a person, as PDF (the shared
sheets of aftersales/core/pdf.py) and as XLSX, in the user's language.

The sign-in sheet an audit package samples is the bilingual one (Chinese with the English
beside it, like every record sheet), in two steps: `sign_in_sheet_data` reads what it
prints, as data (`sign_in_sheets_data` for a batch of sessions), and `sign_in_sheet_pdf`
renders that data alone, so a sheet frozen with an audit period prints the same at every
export. Staff are printed in full: who attended is what an auditor checks
(aftersales/core/privacy.py).
"""

import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import settings as core_settings
from aftersales.core import spreadsheet
from aftersales.core.clock import to_zone, utcnow
from aftersales.core.page import WIDTH_MM
from aftersales.core.sheets import document, render_blocks, side_by_side
from aftersales.training import labels, services, sessions
from aftersales.training.models import Staff, TrainingSession


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
    return _sign_in_sheet(training, sessions.roster(session, training.id))


def render_sign_in_sheet(session: Session, training: TrainingSession) -> bytes:
    """The bilingual sign-in sheet as it is now (the page's PDF download)."""
    return sign_in_sheet_pdf(sign_in_sheet_data(session, training.id))


# The PDF from the sheet's data alone: the same bytes for the same data.
sign_in_sheet_pdf = render_blocks


def sign_in_sheet_data(session: Session, session_id: int) -> dict | None:
    """Everything the bilingual sign-in sheet prints, JSON-ready, as of now; None: no such
    training session."""
    return sign_in_sheets_data(session, [session_id]).get(session_id)


def sign_in_sheets_data(session: Session, session_ids) -> dict[int, dict]:
    """The data of the sign-in sheets of these training sessions by id, as
    `sign_in_sheet_data` gives each (a session that does not exist has none), the rosters
    read in one query and each written in both languages."""
    ids = sorted(set(session_ids))
    trainings = list(session.scalars(select(TrainingSession).where(
        TrainingSession.id.in_(ids)).order_by(TrainingSession.id))) if ids else []
    as_of = utcnow()
    rosters = sessions.rosters(session, [training.id for training in trainings])
    found = {}
    for training in trainings:
        lines = rosters.get(training.id, [])
        with force_locale("zh"):
            chinese = _sign_in_sheet(training, lines)
        with force_locale("en"):
            english = _sign_in_sheet(training, lines)
        found[training.id] = _document(_side_by_side(chinese, english), as_of)
    return found


def _side_by_side(chinese: Sheet, english: Sheet) -> Sheet:
    """One sheet with every text that differs in Chinese with the English beside it."""
    def pair(zh_texts, en_texts) -> list[str]:
        return [side_by_side(zh, en) for zh, en in zip(zh_texts, en_texts, strict=True)]

    return Sheet(
        side_by_side(chinese.title, english.title),
        [tuple(pair(zh, en)) for zh, en in zip(chinese.facts, english.facts, strict=True)],
        pair(chinese.header, english.header),
        [pair(zh, en) for zh, en in zip(chinese.rows, english.rows, strict=True)],
        chinese.widths,
    )


def _sign_in_sheet(training: TrainingSession, lines: list[sessions.RosterLine]) -> Sheet:
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
        rows, (0.05, 0.17, 0.18, 0.22, 0.14, 0.1, 0.14),
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
        [_("Time"), _("Topic"), _("Kind"), _("Lecturer"), _("Training hours"), _("Marks"),
         _("Result")],
        rows, (0.19, 0.3, 0.12, 0.15, 0.08, 0.08, 0.08),
    )


def pdf(sheet: Sheet) -> bytes:
    """A sheet in the user's language as of now (the training record's download)."""
    return render_blocks(_document(sheet, utcnow()))


def _document(sheet: Sheet, as_of: datetime) -> dict:
    """A sheet as the shared PDF data: its title, facts and table."""
    blocks = [
        {"title": sheet.title},
        {"spacer_mm": 4},
        {"facts": [list(fact) for fact in sheet.facts]},
        {"spacer_mm": 4},
        {"listing": {"header": sheet.header, "rows": sheet.rows,
                     "widths_mm": [round(share * WIDTH_MM, 1) for share in sheet.widths]}},
    ]
    return document(sheet.title, core_settings.platform().company_name, as_of, blocks)


def xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook  # loaded on the first workbook, not at start-up
    from openpyxl.styles import Font

    workbook = Workbook()
    page = workbook.active
    page.title = sheet.title[:31]
    page.append(spreadsheet.xlsx_row(page, [sheet.title]))
    page["A1"].font = Font(bold=True, size=14)
    for label, value in sheet.facts:
        page.append(spreadsheet.xlsx_row(page, [label, value]))
    page.append([])
    page.append(spreadsheet.xlsx_row(page, sheet.header))
    for cell in page[page.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        page.append(spreadsheet.xlsx_row(page, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
