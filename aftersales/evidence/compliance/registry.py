"""The provider registry. Each domain module registers its evidence providers in its own
`<domain>/evidence.py`; the engine learns about a module only through them.

A provider takes a session, a period and its target and returns a Measure: the value,
the counts behind it (records checked and passed) and two SELECTs of record ids — the
records behind the figure and those that fail it — that the engine runs with a LIMIT.
Providers aggregate in SQL; none loads every row into Python.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from aftersales.core import domain_files
from aftersales.core.clock import DEFAULT_ZONE, utcnow

STATUSES = ("met", "partly_met", "not_met", "no_data")


@dataclass(frozen=True)
class Period:
    """Local calendar days (Asia/Shanghai), both included."""

    first_day: date
    last_day: date
    # Figures several providers of one module share, computed once per recompute.
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def shared(self, key: str, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def now(self) -> datetime:
        """The moment the figures are taken at (the engine's `now`, a freeze's time):
        a clock whose due time is before it and has not stopped has failed."""
        return self.shared("now", utcnow)

    def limit_hours(self, key: str) -> float:
        """The time limit of metric `key` in the rubric in force (e.g. a complaint's first
        response within 24 hours), the catalog's default when no rubric was applied."""
        limits = self.memo.get("limits") or {}
        if key in limits:
            return limits[key]
        from aftersales.evidence.compliance import catalog

        return catalog.load().providers[key].limit_hours

    def weights(self, key: str) -> dict[str, float]:
        """The weights of metric `key`'s parts in the rubric in force (the catalog's
        default when no rubric was applied)."""
        weights = self.memo.get("weights") or {}
        if key in weights:
            return weights[key]
        from aftersales.evidence.compliance import catalog

        return dict(catalog.load().providers[key].weights or {})

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(), DEFAULT_ZONE)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time(), DEFAULT_ZONE)

    @classmethod
    def ending(cls, last_day: date, days: int) -> "Period":
        return cls(last_day - timedelta(days=days - 1), last_day)


@dataclass
class Measure:
    """What a provider returns. value None: no data in the period."""

    value: float | None
    passed: int | None = None
    checked: int | None = None
    records: Select | None = None  # ids of every record behind the figure
    failing: Select | None = None  # ids of the records that fail it
    # The figures an auditor recounts with that are not columns of the record (a callback's
    # seconds, a charged total): a SELECT of the record id and named columns, one row per
    # record behind the figure. Frozen with the records and printed in the metric's CSV.
    detail: Select | None = None

    @classmethod
    def share(cls, passed: int, checked: int, records: Select | None = None,
              failing: Select | None = None, detail: Select | None = None) -> "Measure":
        value = round(passed / checked, 4) if checked else None
        return cls(value, passed, checked, records, failing, detail)


ProviderFunc = Callable[[Session, Period, float], Measure]


@dataclass(frozen=True)
class Provider:
    key: str
    func: ProviderFunc
    record_type: str  # the table the record ids belong to
    tables: frozenset[str] = field(default_factory=frozenset)  # changes here make it stale


@dataclass(frozen=True)
class RecordKind:
    """How an audit package shows one kind of record: columns never exported, the
    population it samples (SELECT of id, outlet id, local month over a period), and the
    sheets of sampled records, in two steps so a freeze can keep what they print:
    sheets_data(session, ids) -> {id: a JSON-ready dict of everything the record's sheet
    prints} for a batch of ids, one query per table for the batch (a missing record has
    none; `sheet_data` asks for one), sheet_pdf(data) -> the PDF, the same bytes for the
    same data.
    rows: for records that are not rows of a table with an integer id (cities are keyed by
    their code), rows(ids) turns a SELECT of record ids into a SELECT of the id and the
    columns the package prints."""

    record_type: str
    label_zh: str = ""
    label_en: str = ""
    hidden: frozenset[str] = frozenset()
    population: Callable[[Period], Select] | None = None
    sheets_data: Callable[[Session, list[int]], dict[int, dict]] | None = None
    sheet_pdf: Callable[[dict], bytes] | None = None
    rows: Callable[[Select], Select] | None = None

    def sheet_data(self, session: Session, record_id: int) -> dict | None:
        """The data of one record's sheet (None: no such record)."""
        return self.sheets_data(session, [record_id]).get(record_id)


_PROVIDERS: dict[str, Provider] = {}
_RECORD_KINDS: dict[str, RecordKind] = {}
# record type -> (endpoint, argument name) of the page (or API resource) showing one record
_RECORD_LINKS: dict[str, tuple[str, str]] = {}
# record type -> names(session, ids) -> {id: the name people call the record by}
RecordNamesFunc = Callable[[Session, list[int]], dict[int, str]]
_RECORD_NAMES: dict[str, RecordNamesFunc] = {}


def provider(key: str, *, record_type: str, tables: tuple[str, ...] = ()):
    """Register `func` as the provider `key` (named in catalog.toml)."""

    def register(func: ProviderFunc) -> ProviderFunc:
        _PROVIDERS[key] = Provider(key, func, record_type, frozenset(tables or (record_type,)))
        return func

    return register


def record_link(record_type: str, endpoint: str, argument: str) -> None:
    _RECORD_LINKS[record_type] = (endpoint, argument)


def record_names(record_type: str, names: RecordNamesFunc) -> None:
    """How pages name records of `record_type` (WO/TS numbers, people, outlets): one
    query for all the ids a page shows."""
    _RECORD_NAMES[record_type] = names


def names_by(column) -> RecordNamesFunc:
    """Records named by a column of their own (a person's name, a session's topic)."""
    model = column.class_
    return lambda session, ids: dict(session.execute(
        select(model.id, column).where(model.id.in_(ids))).all())


def names_of(session: Session, record_type: str, ids: list[int]) -> dict[int, str]:
    names = _RECORD_NAMES.get(record_type)
    return names(session, ids) if names and ids else {}


def record_kind(record_type: str, *, label_zh: str = "", label_en: str = "",
                hidden: tuple[str, ...] = (), population=None, sheets_data=None,
                sheet_pdf=None, rows=None) -> None:
    _RECORD_KINDS[record_type] = RecordKind(
        record_type, label_zh, label_en, frozenset(hidden), population, sheets_data,
        sheet_pdf, rows,
    )


def kind_of(record_type: str) -> RecordKind:
    load_all()
    return _RECORD_KINDS.get(record_type, RecordKind(record_type))


def sampled_kinds() -> list[RecordKind]:
    """The kinds an audit package samples, in a fixed order."""
    load_all()
    return [kind for _, kind in sorted(_RECORD_KINDS.items()) if kind.population is not None]


def link_of(record_type: str) -> tuple[str, str] | None:
    return _RECORD_LINKS.get(record_type)


def registered() -> dict[str, Provider]:
    load_all()
    return dict(_PROVIDERS)


@dataclass(frozen=True)
class CalendarBasis:
    """What the audit report says about the business calendar behind its clocks: each
    year's holiday source (dicts of year, source, holidays, workdays), the company's hours,
    and the clocks counted on a guessed calendar (record, clock, started_at, due_at)."""

    years: list[dict]
    hours: str
    guessed_count: int
    guessed: list


CalendarBasisFunc = Callable[[Session, date, date], CalendarBasis]
_CALENDAR_BASIS: list[CalendarBasisFunc] = []


def calendar_basis(func: CalendarBasisFunc) -> CalendarBasisFunc:
    """Register the calendar module's account of the calendar (one)."""
    _CALENDAR_BASIS[:] = [func]
    return func


def calendar_basis_of(session: Session, first_day: date, last_day: date) -> CalendarBasis:
    load_all()
    return _CALENDAR_BASIS[0](session, first_day, last_day)


_loaded = False


def load_all() -> None:
    """Import every domain's evidence.py once (they register on import)."""
    global _loaded
    if _loaded:
        return
    domain_files.import_each("evidence")
    _loaded = True
