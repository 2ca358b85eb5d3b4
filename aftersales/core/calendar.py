"""Calendars that service-level clocks count on: business hours or plain clock hours.

A clock counts only the working periods of its calendar and stands still during pauses
(waiting for the customer, for a part). Both calendars answer the same two questions:
when is a duration due (`add`), and how much of it has run (`elapsed`). Times go in
timezone-aware and come out in UTC.
"""

import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import chinese_calendar

from aftersales.core.clock import DEFAULT_ZONE

Period = tuple[datetime, datetime]
Pause = tuple[datetime, datetime | None]
Window = tuple[time, time]

OFFICE_HOURS: tuple[Window, ...] = ((time(9), time(12)), (time(13, 30), time(18)))
# Stands in for "no end": an open pause, or a count with no upper bound.
NEVER = datetime.max.replace(tzinfo=UTC)
log = logging.getLogger(__name__)


class Calendar(ABC):
    """What a service-level clock needs from a calendar; `add` and `elapsed` are shared."""

    @abstractmethod
    def working_periods(self, since: datetime, until: datetime) -> Iterator[Period]:
        """The working parts of [since, until), in order, as UTC (start, end) pairs."""

    def add(
        self, start: datetime, duration: timedelta, pauses: Iterable[Pause] = ()
    ) -> datetime | None:
        """The earliest moment by which `duration` of working time has run since `start`,
        or None when an open pause stops the clock before then."""
        if duration < timedelta(0):
            raise ValueError("a duration cannot be negative")
        remaining = duration
        for begin, end in self._counted_periods(_utc(start), pauses, NEVER):
            if end - begin >= remaining:
                return begin + remaining
            remaining -= end - begin
        return None

    def elapsed(self, start: datetime, end: datetime, pauses: Iterable[Pause] = ()) -> timedelta:
        """The working time between `start` and `end` that no pause covers."""
        start, end = _utc(start), _utc(end)
        if end < start:
            raise ValueError("end is before start")
        periods = self._counted_periods(start, pauses, end)
        return sum((stop - begin for begin, stop in periods), timedelta(0))

    def _counted_periods(
        self, start: datetime, pauses: Iterable[Pause], until: datetime
    ) -> Iterator[Period]:
        for gap_start, gap_end in _unpaused_stretches(start, until, _utc_pauses(pauses)):
            yield from self.working_periods(gap_start, gap_end)


@dataclass(frozen=True)
class ClockCalendar(Calendar):
    """Every hour counts, day and night, holidays included."""

    def working_periods(self, since: datetime, until: datetime) -> Iterator[Period]:
        if since < until:
            yield since, until


@dataclass(frozen=True)
class BusinessCalendar(Calendar):
    """Working windows on Chinese working days, make-up working days (调休) included.

    `extra_holidays` and `extra_workdays` win over the chinese-calendar package, so an
    operator can enter next year's official schedule before the package knows it.
    """

    zone: ZoneInfo = DEFAULT_ZONE
    windows: tuple[Window, ...] = OFFICE_HOURS
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.windows:
            raise ValueError("a business calendar needs at least one working window")
        bounds = [moment for window in self.windows for moment in window]
        if any(later <= earlier for earlier, later in pairwise(bounds)):
            raise ValueError("windows must be ascending, non-empty and must not overlap")
        if self.extra_holidays & self.extra_workdays:
            raise ValueError("a day cannot be both an extra holiday and an extra workday")

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            # The package only knows the years whose schedule the State Council has
            # published; beyond them a plain Monday-to-Friday week keeps clocks running.
            _warn_unknown_year(day.year)
            return day.weekday() < 5

    def working_periods(self, since: datetime, until: datetime) -> Iterator[Period]:
        day = since.astimezone(self.zone).date()
        while True:
            if self.is_workday(day):
                for opens, closes in self._windows_on(day):
                    if opens >= until:
                        return
                    begin, end = max(opens, since), min(closes, until)
                    if begin < end:
                        yield begin, end
            day += timedelta(days=1)

    def _windows_on(self, day: date) -> Iterator[Period]:
        # In UTC, because subtracting datetimes that share a zone ignores offset changes.
        for opens, closes in self.windows:
            yield self._utc_on(day, opens), self._utc_on(day, closes)

    def _utc_on(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone).astimezone(UTC)


@functools.cache  # once per year and process, not once per day counted
def _warn_unknown_year(year: int) -> None:
    log.warning(
        "chinese-calendar has no holiday schedule for %d: counting Monday to Friday; "
        "upgrade the package or enter the year's holidays as overrides", year
    )


def _utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError("naive datetime refused; pass a timezone-aware value")
    return moment.astimezone(UTC)


def _utc_pauses(pauses: Iterable[Pause]) -> list[Period]:
    spans = [(_utc(begin), NEVER if end is None else _utc(end)) for begin, end in pauses]
    if any(end < begin for begin, end in spans):
        raise ValueError("a pause cannot end before it begins")
    return sorted(spans)


def _unpaused_stretches(start: datetime, until: datetime, pauses: list[Period]) -> Iterator[Period]:
    """The parts of [start, until) outside every pause; pauses sorted by start, overlapping
    or not. Jumping the cursor over each pause costs one step however long the pause is."""
    cursor = start
    for pause_start, pause_end in pauses:
        if pause_start > cursor:
            yield cursor, min(pause_start, until)
        cursor = max(cursor, pause_end)
        if cursor >= until:
            return
    yield cursor, until
