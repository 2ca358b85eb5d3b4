"""The business calendar the operator owns.

A year's schedule (holidays and make-up working days, as the State Council publishes it)
and company or outlet closures are stored entries that win over the chinese-calendar
package; the package fills the years it knows; a year known to neither is counted as a
plain Monday-to-Friday week and every clock over it is marked as guessed. Working hours
are the company's (stored, or AFTERSALES_WORKING_HOURS) or an outlet's own.

Every change is an audited write; afterwards the clocks that the changed days (or hours)
touch are recomputed by the refreshers the clock-owning modules register here
(`on_calendar_change`), so this module never reaches into their tables.
"""

import csv
import functools
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from chinese_calendar import constants as published
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session

from aftersales.calendar import settings
from aftersales.calendar.models import DAY_KINDS, CalendarDay, WorkingHoursSetting
from aftersales.core import domain_files, spreadsheet
from aftersales.core.calendar import (
    BusinessCalendar,
    DayBook,
    WorkingHours,
    package_knows,
    parse_windows,
)
from aftersales.core.clock import DEFAULT_ZONE, local_today, utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.outlets import services as outlet_services

CACHE_KEY = "business_calendar"
OFFICIAL_KINDS = ("holiday", "workday")
# From this month on, next year's schedule is due: the State Council publishes it in
# October or November, and clocks started in December already run into January.
NOTICE_FROM_MONTH = 11
CSV_COLUMNS = ("date", "kind", "name", "outlet")
# A year's schedule is a few dozen lines; a closure list for many outlets a few thousand.
MAX_CSV_BYTES = 512 * 1024
# A name a spreadsheet would run as a formula when the export is opened.


@dataclass(frozen=True)
class DayEntry:
    day: date
    kind: str
    name: str
    outlet_id: int | None = None


@dataclass(frozen=True)
class CalendarChange:
    """What changed, for the refreshers: the local days (None: the working hours, so every
    day), and the one outlet concerned (None: the whole company)."""

    first_day: date | None
    last_day: date | None
    outlet_id: int | None
    summary: str
    at: datetime

    def utc_bounds(self) -> tuple[datetime, datetime] | None:
        if self.first_day is None or self.last_day is None:
            return None
        start = datetime.combine(self.first_day, time(0), tzinfo=DEFAULT_ZONE)
        end = datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=DEFAULT_ZONE)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def touches_the_past(self) -> bool:
        return self.first_day is not None and self.first_day <= self.at.astimezone(
            DEFAULT_ZONE).date()


Refresher = Callable[[Session, CalendarChange], int]
_REFRESHERS: list[Refresher] = []
# Each module that owns clocks keeps its side of the calendar in this file.
CLOCK_OWNER_FILE = "calendar_clocks"


def on_calendar_change(func: Refresher) -> Refresher:
    """Register `func(session, change) -> clocks recomputed`, called after every change."""
    _REFRESHERS.append(func)
    return func


# ---------------------------------------------------------------- reading the calendar


@dataclass
class _Loaded:
    """The whole stored calendar of one transaction: a few rows a year and an outlet."""

    official: list[CalendarDay]
    closures: dict[int | None, set[date]]
    hours: dict[int | None, WorkingHours]
    books: dict[int | None, DayBook]


def _loaded(session: Session) -> _Loaded:
    cached = session.info.get(CACHE_KEY)
    if cached is None:
        rows = session.scalars(select(CalendarDay).order_by(CalendarDay.day)).all()
        closures: dict[int | None, set[date]] = {}
        for row in rows:
            if row.kind == "closure":
                closures.setdefault(row.outlet_id, set()).add(row.day)
        hours = {
            outlet_id: WorkingHours.parse(text)
            for outlet_id, text in session.execute(
                select(WorkingHoursSetting.outlet_id, WorkingHoursSetting.hours))
        }
        cached = _Loaded([row for row in rows if row.kind in OFFICIAL_KINDS], closures, hours, {})
        session.info[CACHE_KEY] = cached
    return cached


def _forget(session: Session) -> None:
    session.info.pop(CACHE_KEY, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_after_transaction(session: Session) -> None:
    # Another process may change the calendar: each transaction reads it afresh.
    _forget(session)


def day_book(session: Session, outlet_id: int | None = None) -> DayBook:
    loaded = _loaded(session)
    if outlet_id not in loaded.books:
        official = loaded.official
        loaded.books[outlet_id] = DayBook(
            holidays={row.day: row.name for row in official if row.kind == "holiday"},
            workdays={row.day: row.name for row in official if row.kind == "workday"},
            closures=frozenset(loaded.closures.get(None, set())
                               | (loaded.closures.get(outlet_id, set()) if outlet_id else set())),
            entered_years=frozenset(row.day.year for row in official),
        )
    return loaded.books[outlet_id]


@dataclass(frozen=True)
class HoursInForce:
    hours: WorkingHours
    source: str  # "outlet", "company" (stored) or "settings"


def hours_in_force(session: Session, outlet_id: int | None = None) -> HoursInForce:
    stored = _loaded(session).hours
    if outlet_id is not None and outlet_id in stored:
        return HoursInForce(stored[outlet_id], "outlet")
    if None in stored:
        return HoursInForce(stored[None], "company")
    return HoursInForce(settings.current().working_hours, "settings")


def calendar_for(session: Session, outlet_id: int | None = None,
                 hours: WorkingHours | None = None) -> BusinessCalendar:
    """The business calendar of an outlet (None: the company's); `hours` asks "what if"."""
    return BusinessCalendar(
        zone=DEFAULT_ZONE,
        hours=hours or hours_in_force(session, outlet_id).hours,
        days=day_book(session, outlet_id),
    )


# ---------------------------------------------------------------- status and notice


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str  # "entered", "package" or "guessed"
    holidays: int
    workdays: int
    closures: int


def year_status(session: Session, year: int) -> YearStatus:
    rows = [row for row in _loaded(session).official if row.day.year == year]
    closures = sum(1 for days in _loaded(session).closures.values()
                   for day in days if day.year == year)
    if rows:
        source = "entered"
        holidays = sum(1 for row in rows if row.kind == "holiday")
        workdays = len(rows) - holidays
    elif package_knows(year):
        source = "package"
        holidays = sum(1 for day in published.holidays if day.year == year)
        workdays = sum(1 for day in published.workdays if day.year == year)
    else:
        source, holidays, workdays = "guessed", 0, 0
    return YearStatus(year, source, holidays, workdays, closures)


def years_around(session: Session, today: date) -> list[YearStatus]:
    """Last year, this year, next year, and any other year with stored entries."""
    stored = {row.day.year for row in _loaded(session).official}
    years = sorted(stored | {today.year - 1, today.year, today.year + 1})
    return [year_status(session, year) for year in years]


def years_missing(session: Session, today: date | None = None) -> list[int]:
    """The years clocks are counting on now without a schedule: this year if unknown and,
    from November, next year if unknown."""
    today = today or local_today()
    candidates = [today.year] + ([today.year + 1] if today.month >= NOTICE_FROM_MONTH else [])
    book = day_book(session)
    return [year for year in candidates if book.year_is_guessed(year)]


# ---------------------------------------------------------------- entering a year


def entries_of_year(session: Session, year: int) -> list[CalendarDay]:
    return list(session.scalars(
        select(CalendarDay)
        .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day, CalendarDay.outlet_id)
    ))


def _checked(entries: Iterable[DayEntry], year: int | None) -> dict:
    wanted: dict[tuple[date, int | None], DayEntry] = {}
    for index, entry in enumerate(entries):
        where = f"entries.{index}"
        if entry.kind not in DAY_KINDS:
            raise ValidationFailed(_l("Kind must be holiday, workday or closure."), f"{where}.kind")
        if year is not None and entry.day.year != year:
            raise ValidationFailed(_l("This date is not in %(year)d.", year=year), f"{where}.day")
        if entry.outlet_id is not None and entry.kind != "closure":
            raise ValidationFailed(
                _l("Only a closure can be one outlet's; holidays are the company's."),
                f"{where}.outlet_id")
        if not entry.name.strip():
            raise ValidationFailed(_l("Name the day (e.g. 春节)."), f"{where}.name")
        if entry.name.strip().startswith(spreadsheet.FORMULA_STARTS):
            raise ValidationFailed(_l("A name cannot start with =, +, - or @."), f"{where}.name")
        key = (entry.day, entry.outlet_id)
        if key in wanted:
            raise ValidationFailed(_l("%(day)s is entered twice.", day=entry.day.isoformat()),
                                   f"{where}.day")
        wanted[key] = entry
    return wanted


def replace_year(session: Session, year: int, entries: Iterable[DayEntry],
                 now: datetime | None = None) -> int:
    """Make `entries` the year's whole stored schedule (official days and closures);
    returns the number of clocks recomputed."""
    wanted = _checked(entries, year)
    for outlet_id in {key[1] for key in wanted} - {None}:
        outlet_services.get_outlet(session, outlet_id)
    return _apply(session, entries_of_year(session, year), wanted, now or utcnow())


def _apply(session: Session, stored: list[CalendarDay], wanted: dict, now: datetime) -> int:
    existing = {(row.day, row.outlet_id): row for row in stored}
    changed: list[tuple[date, int | None]] = []
    for key, row in existing.items():
        entry = wanted.get(key)
        if entry is None:
            session.delete(row)
            changed.append(key)
        elif (row.kind, row.name) != (entry.kind, entry.name.strip()):
            if row.kind != entry.kind:
                changed.append(key)
            row.kind, row.name = entry.kind, entry.name.strip()
    for key, entry in wanted.items():
        if key not in existing:
            session.add(CalendarDay(day=entry.day, kind=entry.kind, name=entry.name.strip(),
                                    outlet_id=entry.outlet_id, outlet_key=entry.outlet_id or 0,
                                    entered_at=now))
            changed.append(key)
    session.flush()
    _forget(session)
    if not changed:
        return 0
    outlets = {outlet_id for _day, outlet_id in changed}
    days = sorted(day for day, _outlet in changed)
    summary = ", ".join(day.isoformat() for day in days[:10]) + ("…" if len(days) > 10 else "")
    return _refresh(session, CalendarChange(
        days[0], days[-1], outlets.pop() if len(outlets) == 1 else None, summary, now))


def _refresh(session: Session, change: CalendarChange) -> int:
    _load_clock_owners()
    return sum(refresh(session, change) for refresh in _REFRESHERS)


@functools.cache
def _load_clock_owners() -> None:
    """Import every domain's calendar_clocks.py once (they register on import)."""
    domain_files.import_each(CLOCK_OWNER_FILE)


def kept_outcome_note(change: CalendarChange) -> str:
    """The line a record's timeline gets when a change touches a clock that had stopped."""
    with force_locale("zh"):  # timelines are written in the enterprise's language
        return _("Business calendar changed for %(days)s: the service-level outcomes stored "
                 "when the clocks stopped are kept as they were computed.", days=change.summary)


# ---------------------------------------------------------------- import and export


def decode_csv(data: bytes) -> str:
    """An uploaded file's text: UTF-8 (with or without a BOM, as Excel saves it)."""
    if len(data) > MAX_CSV_BYTES:
        raise ValidationFailed(_l("The file is larger than 512 KB."), "file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_l("The file is not UTF-8 text (save it as CSV UTF-8)."),
                               "file") from None


def parse_csv(text: str, outlet_ids_by_code: dict[str, int]) -> list[DayEntry]:
    """`date,kind,name[,outlet]` rows (a header line is allowed); errors name the line."""
    entries = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for number, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[:1] == ["date"]):
            continue
        if len(cells) not in (3, 4):
            raise ValidationFailed(
                _l("Line %(line)d: expected date,kind,name[,outlet].", line=number), "file")
        try:
            day = date.fromisoformat(cells[0])
        except ValueError:
            raise ValidationFailed(
                _l("Line %(line)d: %(value)s is not a date (YYYY-MM-DD).", line=number,
                   value=cells[0]), "file") from None
        if cells[1] not in DAY_KINDS:
            raise ValidationFailed(
                _l("Line %(line)d: kind must be holiday, workday or closure.", line=number),
                "file")
        outlet_code = cells[3] if len(cells) == 4 else ""
        if outlet_code and outlet_code not in outlet_ids_by_code:
            raise ValidationFailed(
                _l("Line %(line)d: no outlet with code %(code)s.", line=number, code=outlet_code),
                "file")
        entries.append(DayEntry(day, cells[1], cells[2], outlet_ids_by_code.get(outlet_code)))
    return entries


@dataclass(frozen=True)
class ImportResult:
    entries: dict[int, int]  # entries stored per year
    clocks: int  # running clocks recomputed


def import_entries(session: Session, entries: list[DayEntry],
                   now: datetime | None = None) -> ImportResult:
    """Each year the file names becomes exactly the file's entries for that year (so an
    import can be repeated); the clocks the changed days touch are recomputed."""
    now = now or utcnow()
    by_year: dict[int, list[DayEntry]] = {}
    for entry in entries:
        by_year.setdefault(entry.day.year, []).append(entry)
    _checked(entries, None)
    clocks = sum(replace_year(session, year, year_entries, now)
                 for year, year_entries in sorted(by_year.items()))
    return ImportResult({year: len(found) for year, found in by_year.items()}, clocks)


def export_csv(session: Session, year: int | None = None) -> str:
    codes = {outlet_id: code for outlet_id, code, _name, _region
             in outlet_services.outlet_choices(session)}
    stmt = select(CalendarDay).order_by(CalendarDay.day, CalendarDay.outlet_id)
    if year is not None:
        stmt = stmt.where(CalendarDay.day >= date(year, 1, 1),
                          CalendarDay.day <= date(year, 12, 31))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in session.scalars(stmt):
        writer.writerow(spreadsheet.csv_row(
            [row.day.isoformat(), row.kind, row.name, codes.get(row.outlet_id, "")]))
    return out.getvalue()


def outlet_ids_by_code(session: Session) -> dict[str, int]:
    return {code: outlet_id for outlet_id, code, _name, _region
            in outlet_services.outlet_choices(session)}


def outlet_code(session: Session, outlet_id: int) -> str:
    return outlet_services.get_outlet(session, outlet_id).code


# ---------------------------------------------------------------- working hours


def set_hours(session: Session, outlet_id: int | None, hours: WorkingHours | None,
              now: datetime | None = None) -> int:
    """Store the company's (outlet_id None) or an outlet's hours; None removes an
    outlet's own hours (it follows the company again). Returns clocks recomputed."""
    now = now or utcnow()
    if outlet_id is not None:
        outlet_services.get_outlet(session, outlet_id)
    row = session.scalar(select(WorkingHoursSetting).where(
        WorkingHoursSetting.outlet_key == (outlet_id or 0)))
    if hours is None:
        if row is None:
            return 0
        session.delete(row)
    elif row is None:
        session.add(WorkingHoursSetting(outlet_id=outlet_id, outlet_key=outlet_id or 0,
                                        hours=hours.text(), updated_at=now))
    elif row.hours != hours.text():
        row.hours, row.updated_at = hours.text(), now
    else:
        return 0
    session.flush()
    _forget(session)
    return _refresh(session, CalendarChange(None, None, outlet_id, "working hours", now))


def outlet_hours(session: Session) -> dict[int, WorkingHours]:
    """The outlets that keep their own hours."""
    return {outlet_id: hours for outlet_id, hours in _loaded(session).hours.items()
            if outlet_id is not None}


# ---------------------------------------------------------------- support questions


@dataclass(frozen=True)
class DayDifference:
    day: date
    working: bool
    name: str
    source: str  # "entered", "package" or "closure"


def differing_days(session: Session, year: int,
                   outlet_id: int | None = None) -> list[DayDifference]:
    """The days of `year` that are not what a plain Monday-to-Friday week says."""
    book = day_book(session, outlet_id)
    differences = []
    day = date(year, 1, 1)
    while day.year == year:
        kind = book.kind(day)
        plain = "workday" if day.weekday() < 5 else "weekend"
        if kind != plain:
            differences.append(DayDifference(day, kind in ("workday", "makeup"),
                                             *_name_and_source(book, day, kind)))
        day += timedelta(days=1)
    return differences


def _name_and_source(book: DayBook, day: date, kind: str) -> tuple[str, str]:
    if kind == "closed":
        return "closure", "closure"
    if day in book.workdays or day in book.holidays:
        return (book.workdays.get(day) or book.holidays[day]), "entered"
    return (published.workdays.get(day) or published.holidays.get(day, "")), "package"


@dataclass(frozen=True)
class DueAnswer:
    """When a clock started at `start` with `hours` of business time would be due."""

    start: datetime
    due: datetime
    hours: WorkingHours
    guessed_years: tuple[int, ...]  # years counted over without a known schedule


def due_for(session: Session, start: datetime, hours: float, outlet_id: int | None = None,
            windows: str | None = None) -> DueAnswer:
    """The due time the product computes; `windows` ("09:00-18:00") asks "what if we
    worked those hours on working days?" instead of the hours in force."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=DEFAULT_ZONE)
    what_if = WorkingHours(workday=parse_windows(windows, "hours_window")) if windows else None
    calendar = calendar_for(session, outlet_id, what_if)
    due = calendar.add(start, timedelta(hours=hours))
    first, last = start.astimezone(DEFAULT_ZONE).year, due.astimezone(DEFAULT_ZONE).year
    guessed = tuple(year for year in range(first, last + 1)
                    if calendar.days.year_is_guessed(year))
    return DueAnswer(start, due, calendar.hours, guessed)


# ---------------------------------------------------------------- guessed clocks, for reports


@dataclass(frozen=True)
class GuessedClock:
    """A clock that counted over a year with no holiday schedule (Monday-Friday assumed)."""

    record: str  # as people name it: WO00000731, TS00000012
    clock: str  # "response", "resolution" or "response+resolution"
    started_at: datetime
    due_at: datetime | None


@dataclass(frozen=True)
class GuessedClocks:
    count: int
    listed: list[GuessedClock]  # the first `limit`, oldest first


GuessedLister = Callable[[Session, datetime, datetime, int], GuessedClocks]
_GUESSED_LISTERS: list[GuessedLister] = []


def guessed_listing(session: Session, rows: Select, limit: int,
                    make: Callable[..., GuessedClock]) -> GuessedClocks:
    """Count the rows of `rows` (a select of one module's guessed clocks, oldest first)
    and list the first `limit` of them, each made into a GuessedClock by `make(*row)`."""
    count = session.scalar(select(func.count()).select_from(rows.order_by(None).subquery()))
    return GuessedClocks(count or 0, [make(*row) for row in session.execute(rows.limit(limit))])


def lists_guessed_clocks(func: GuessedLister) -> GuessedLister:
    """Register `func(session, start, end, limit)`: the module's guessed clocks started in
    [start, end), counted, and the first `limit` of them listed."""
    _GUESSED_LISTERS.append(func)
    return func


def guessed_clocks(session: Session, first_day: date, last_day: date,
                   limit: int = 200) -> GuessedClocks:
    """Every module's clocks started in the local days [first_day, last_day] that were
    counted on a guessed calendar."""
    start = datetime.combine(first_day, time(0), tzinfo=DEFAULT_ZONE).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), time(0),
                           tzinfo=DEFAULT_ZONE).astimezone(UTC)
    _load_clock_owners()
    found = [lister(session, start, end, limit) for lister in _GUESSED_LISTERS]
    listed = sorted((clock for part in found for clock in part.listed),
                    key=lambda clock: clock.started_at)[:limit]
    return GuessedClocks(sum(part.count for part in found), listed)
