"""The provider registry. Each domain module registers its evidence providers in its own
`<domain>/evidence.py`; the engine learns about a module only through them.

A provider takes a session, a period and its target and returns a Measure: the value,
the counts behind it (records checked and passed) and two SELECTs of record ids — the
records behind the figure and those that fail it — that the engine runs with a LIMIT.
Providers aggregate in SQL; none loads every row into Python.
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select
from sqlalchemy.orm import Session

from aftersales.core.clock import DEFAULT_ZONE

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

    @classmethod
    def share(cls, passed: int, checked: int, records: Select | None = None,
              failing: Select | None = None) -> "Measure":
        value = round(passed / checked, 4) if checked else None
        return cls(value, passed, checked, records, failing)


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
    PDF sheet of one sampled record."""

    record_type: str
    label_zh: str = ""
    label_en: str = ""
    hidden: frozenset[str] = frozenset()
    population: Callable[[Period], Select] | None = None
    sheet: Callable[[Session, int], bytes] | None = None


_PROVIDERS: dict[str, Provider] = {}
_RECORD_KINDS: dict[str, RecordKind] = {}
# record type -> (endpoint, argument name) of the page (or API resource) showing one record
_RECORD_LINKS: dict[str, tuple[str, str]] = {}


def provider(key: str, *, record_type: str, tables: tuple[str, ...] = ()):
    """Register `func` as the provider `key` (named in catalog.toml)."""

    def register(func: ProviderFunc) -> ProviderFunc:
        _PROVIDERS[key] = Provider(key, func, record_type, frozenset(tables or (record_type,)))
        return func

    return register


def record_link(record_type: str, endpoint: str, argument: str) -> None:
    _RECORD_LINKS[record_type] = (endpoint, argument)


def record_kind(record_type: str, *, label_zh: str = "", label_en: str = "",
                hidden: tuple[str, ...] = (), population=None, sheet=None) -> None:
    _RECORD_KINDS[record_type] = RecordKind(
        record_type, label_zh, label_en, frozenset(hidden), population, sheet
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


_loaded = False


def load_all() -> None:
    """Import every domain's evidence.py once (they register on import)."""
    global _loaded
    if _loaded:
        return
    from aftersales import DOMAINS

    for domain in DOMAINS:
        module = f"aftersales.{domain}.evidence"
        if importlib.util.find_spec(module):
            importlib.import_module(module)
    _loaded = True
