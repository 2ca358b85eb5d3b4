"""Import a call-centre export (CSV): every row checked first, then all or nothing.

The file
- is CSV text in UTF-8 (with or without a byte-order mark) or, failing that, GB18030
  (which covers GBK, what Chinese call-centre systems and Excel usually write);
- starts with a header row naming the columns, in any order (English names, or the
  usual Chinese ones in brackets); other columns are ignored:

  ============== ======== =========================================================
  column         required values
  ============== ======== =========================================================
  direction      no       inbound (the default) or outbound        (方向: 呼入/呼出)
  caller_number  yes      the customer's number; digits are kept, +86 dropped
                                                                   (主叫号码, 来电号码)
  queued_at      yes      when the call reached the hotline queue (or was dialled)
                                                                   (排队时间, 来电时间)
  answered_at    no       when an agent (or, outbound, the customer) picked up
                                                                   (接听时间)
  ended_at       no*      when the call ended; *required when not answered
                                                                   (结束时间, 挂机时间)
  outcome        yes      answered, missed, abandoned or called_back
                          (已接听, 未接, 放弃, 已回拨)                (结果)
  agent_username no       the agent's user name in this system     (坐席)
  note           no       free text                                (备注)
  ============== ======== =========================================================

- times are ISO 8601 with a zone ("2026-11-23T10:43:05+08:00", "...Z"), or
  "YYYY-MM-DD HH:MM:SS" (also with "/" or "T", seconds optional) meaning Asia/Shanghai.

Rows are numbered as a spreadsheet shows them: the header is row 1. A row that repeats
a call already logged, or an earlier row (same direction, number and queue time), is an
error, so importing the same export twice changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.calls import services
from aftersales.calls.models import Call
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.imports import ImportRefused, RowError
from aftersales.core.models import User

MAX_ROWS = 100_000
REQUIRED = ("caller_number", "queued_at", "outcome")
COLUMNS = {
    "direction": ("direction", "方向", "呼叫方向"),
    "caller_number": ("caller_number", "主叫号码", "来电号码", "客户号码", "号码"),
    "queued_at": ("queued_at", "排队时间", "来电时间", "呼叫时间"),
    "answered_at": ("answered_at", "接听时间", "应答时间"),
    "ended_at": ("ended_at", "结束时间", "挂机时间"),
    "outcome": ("outcome", "结果", "呼叫结果"),
    "agent_username": ("agent_username", "坐席", "坐席账号", "坐席工号"),
    "note": ("note", "备注"),
}
DIRECTION_WORDS = {"inbound": "inbound", "outbound": "outbound", "呼入": "inbound",
                   "呼出": "outbound"}
OUTCOME_WORDS = {
    "answered": "answered", "missed": "missed", "abandoned": "abandoned",
    "called_back": "called_back", "已接听": "answered", "接听": "answered",
    "未接": "missed", "未接听": "missed", "放弃": "abandoned", "已回拨": "called_back",
}
NO_FILE = _l("Choose the CSV file to import.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _not_csv() -> ValidationFailed:
    return ValidationFailed(
        _l("This is not a CSV text file. Save the export as CSV (UTF-8 or GBK) and try again."),
        field="file",
    )


def decode(content: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030; binary content (a workbook, an image) refused."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break
        return text
    raise _not_csv()


def _columns(header: list[str]) -> dict[str, int]:
    """Column name -> position, from the header row (English or Chinese names)."""
    names = {alias.lower(): column for column, aliases in COLUMNS.items() for alias in aliases}
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        column = names.get(name.strip().lower())
        if column is not None:
            positions.setdefault(column, position)
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        raise ValidationFailed(
            _l(
                "The header row must name the columns %(columns)s.",
                columns=", ".join(missing),
            ),
            field="file",
        )
    return positions


def parse_time(text: str) -> datetime | None:
    """ISO 8601 with a zone, or a local (Asia/Shanghai) "YYYY-MM-DD HH:MM:SS"."""
    text = text.strip()
    if not text:
        return None
    if re.match(r"^\d{4}/\d{1,2}/\d{1,2}", text):
        day, _sep, rest = text.partition(" ")
        year, month, dom = day.split("/")
        text = f"{year}-{int(month):02d}-{int(dom):02d} {rest}".strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", text):
        moment = datetime.fromisoformat(re.sub(r"[ T](\d):", r" 0\1:", text))
        return moment.replace(tzinfo=DEFAULT_ZONE)
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.tzinfo is None:
        raise ValueError(text)
    return moment


@dataclass
class _Row:
    number: int
    cells: dict[str, str]
    draft: services.CallDraft | None = None  # set once the row is read


def _read_rows(text: str) -> list[_Row]:
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise _not_csv() from error
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)
    if not records:
        raise ValidationFailed(_l("The file is empty."), field="file")
    positions = _columns(records[0])
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            column: record[position].strip() if position < len(record) else ""
            for column, position in positions.items()
        }
        rows.append(_Row(number, cells))
    if not rows:
        raise ValidationFailed(_l("The file has a header but no calls."), field="file")
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            _l("At most %(count)d calls per file; split the export.", count=MAX_ROWS),
            field="file",
        )
    return rows


def _draft(row: _Row, agents: dict[str, int], problems: dict[str, str]) -> services.CallDraft:
    """The row as a call; cells that do not parse are noted in `problems` and left empty,
    so the checks of the other cells still run and the report lists them all at once."""
    cells = row.cells
    direction = (cells.get("direction") or "inbound").lower()
    outcome = cells["outcome"].lower()
    times = {}
    for column in ("queued_at", "answered_at", "ended_at"):
        try:
            times[column] = parse_time(cells.get(column, ""))
        except ValueError:
            times[column] = None
            problems[column] = _l(
                "Not a time: use 2026-11-23 10:43:05 (Beijing time) or ISO 8601 with a zone."
            )
    username = cells.get("agent_username", "").lower()
    if username and username not in agents:
        problems["agent_username"] = _l("No user named %(name)s.", name=username)
    return services.CallDraft(
        direction=DIRECTION_WORDS.get(direction, direction),
        caller_number=cells["caller_number"],
        queued_at=times["queued_at"],
        answered_at=times["answered_at"],
        ended_at=times["ended_at"],
        outcome=OUTCOME_WORDS.get(outcome, outcome),
        agent_id=agents.get(username),
        note=cells.get("note", ""),
    )


def _column_order(field: str) -> int:
    return list(COLUMNS).index(field) if field in COLUMNS else len(COLUMNS)


def _agents(session: Session, rows: list[_Row]) -> dict[str, int]:
    names = {row.cells.get("agent_username", "").lower() for row in rows} - {""}
    if not names:
        return {}
    found = session.execute(select(User.username, User.id).where(User.username.in_(names)))
    return {username: user_id for username, user_id in found}


def _key(draft: services.CallDraft) -> tuple:
    number = services.normalise_number(draft.caller_number, strict=False)
    return draft.direction, number, draft.queued_at.astimezone(DEFAULT_ZONE).isoformat()


def _already_logged(session: Session, drafts: list[services.CallDraft]) -> set[tuple]:
    if not drafts:
        return set()
    keys = {_key(draft) for draft in drafts}
    numbers = sorted({number for _direction, number, _queued in keys})
    earliest = min(draft.queued_at for draft in drafts)
    latest = max(draft.queued_at for draft in drafts)
    found = set()
    for offset in range(0, len(numbers), 500):
        rows = session.execute(
            select(Call.direction, Call.caller_number, Call.queued_at).where(
                Call.caller_number.in_(numbers[offset : offset + 500]),
                Call.queued_at >= earliest,
                Call.queued_at <= latest,
            )
        )
        for direction, number, queued in rows:
            found.add((direction, number, queued.astimezone(DEFAULT_ZONE).isoformat()))
    return found & keys


def import_calls(session: Session, content: bytes) -> list[Call]:
    """Check every row, then log them all in one flush; ImportRefused lists the bad rows
    (row number, column, reason) and nothing is written."""
    rows = _read_rows(decode(content))
    agents = _agents(session, rows)
    now = utcnow()
    errors: list[RowError] = []
    bad_rows = 0
    seen: dict[tuple, int] = {}
    good: list[_Row] = []
    for row in rows:
        problems: dict[str, str] = {}
        row.draft = _draft(row, agents, problems)
        for field, reason in services.check_call(row.draft, now, strict_number=False).items():
            problems.setdefault(field, reason)  # a cell that did not parse: its own reason
        if not problems:
            key = _key(row.draft)
            if key in seen:
                problems["queued_at"] = _l("The same call as row %(row)d.", row=seen[key])
            else:
                seen[key] = row.number
                good.append(row)
        if problems:
            bad_rows += 1
            errors += [
                RowError(row.number, field, str(problems[field]))
                for field in sorted(problems, key=_column_order)
            ]
    logged = _already_logged(session, [row.draft for row in good])
    for row in good:
        if _key(row.draft) in logged:
            bad_rows += 1
            errors.append(RowError(row.number, "queued_at", str(_l("Already in the call log."))))
    if errors:
        raise ImportRefused(errors, bad_rows)
    return services.log_calls(session, [row.draft for row in rows], strict_number=False)
