"""Calendars that service-level clocks count on: business hours or plain clock hours.

A clock counts only the working periods of its calendar and stands still during pauses
(waiting for the customer, for a part). Both calendars answer the same two questions:
when is a duration due (`add`), and how much of it has run (`elapsed`). Times go in
timezone-aware and come out in UTC.

A business calendar is two things the operator owns: what each date is (`DayBook`: the
year's official holidays and make-up working days 调休, and company closures), and the
working hours kept on each kind of day (`WorkingHours`). This file is the maths only; the
stored schedule and hours are loaded by aftersales/calendar/services.py.
"""

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from types import MappingProxyType
from zoneinfo import ZoneInfo

from chinese_calendar import constants as published

from aftersales.core.clock import DEFAULT_ZONE

Period = tuple[datetime, datetime]
Pause = tuple[datetime, datetime | None]
# A working window of one day, in minutes since local midnight: [start, end), end <= 24:00.
Window = tuple[int, int]
DAY_MINUTES = 24 * 60

# Stands in for "no end": an open pause, or a count with no upper bound.
NEVER = datetime.max.replace(tzinfo=UTC)
# A calendar with no working minute in this many days in a row is a mistake, not a wait.
LONGEST_CLOSURE_DAYS = 400


class Calendar(ABC):
    """What a service-level clock needs from a calendar; `add` and `elapsed` are shared."""

    @abstractmethod
    def working_periods(self, since: datetime, until: datetime) -> Iterator[Period]:
        """The working parts of [since, until), in order, as UTC (start, end) pairs."""

    def guessed_between(self, start: datetime, end: datetime) -> bool:
        """Whether counting from `start` to `end` stood on a day whose kind was guessed."""
        return False

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


# ---------------------------------------------------------------- what each date is

# The kinds of day, as the working hours tell them apart.
WORKDAY = "workday"  # Monday to Friday, not a holiday
MAKEUP = "makeup"  # a Saturday or Sunday worked in exchange for a holiday (调休)
WEEKEND = "weekend"  # Saturday or Sunday, not worked
HOLIDAY = "holiday"  # an official public holiday
CLOSED = "closed"  # a company closure: nothing is worked, whatever the hours say

PACKAGE_YEARS = frozenset(day.year for day in published.holidays)


def package_knows(year: int) -> bool:
    """Whether the installed chinese-calendar package has the State Council's schedule."""
    return year in PACKAGE_YEARS


@dataclass(frozen=True)
class DayBook:
    """What each date is. Stored entries win; the chinese-calendar package fills the years
    it knows; a year known to neither is guessed as a plain Monday-to-Friday week, and
    every clock that counts over such a day is marked as guessed."""

    holidays: Mapping[date, str] = field(default_factory=lambda: MappingProxyType({}))
    workdays: Mapping[date, str] = field(default_factory=lambda: MappingProxyType({}))
    closures: frozenset[date] = frozenset()
    # Years whose official schedule has been entered (by a page or an import).
    entered_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        both = set(self.holidays) & set(self.workdays)
        if both:
            raise ValueError(f"{min(both)} cannot be both a holiday and a working day")

    def kind(self, day: date) -> str:
        if day in self.closures:
            return CLOSED
        weekend = day.weekday() >= 5
        if day in self.workdays:
            return MAKEUP if weekend else WORKDAY
        if day in self.holidays:
            return HOLIDAY
        if package_knows(day.year):
            if day in published.workdays:
                return MAKEUP if weekend else WORKDAY
            if day in published.holidays:
                return HOLIDAY
        return WEEKEND if weekend else WORKDAY

    def is_guessed(self, day: date) -> bool:
        return self.year_is_guessed(day.year)

    def year_is_guessed(self, year: int) -> bool:
        return year not in self.entered_years and not package_knows(year)


PACKAGE_ONLY = DayBook()


# ---------------------------------------------------------------- working hours

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_KIND_KEYS = (WORKDAY, WEEKEND, HOLIDAY)
_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class HoursError(ValueError):
    """Working hours that cannot be kept: names the day (`key`), says why (`reason`, in
    English for logs and the command line) and what went wrong (`code`, with `value`), so
    pages can say it in the user's language."""

    def __init__(self, key: str, code: str, value: str, reason: str):
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.code = code
        self.value = value
        self.reason = reason


def _minutes(hours: str, minutes: str, key: str, text: str) -> int:
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > DAY_MINUTES:
        raise HoursError(key, "time", text, f"{text!r} is not a time between 00:00 and 24:00")
    return value


def parse_windows(text: str, key: str = "hours") -> tuple[Window, ...]:
    """"09:00-12:00,13:30-18:00" as minutes; "" is no working time that day."""
    windows = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = _WINDOW.match(part)
        if not match:
            raise HoursError(key, "format", part, f"{part!r} is not a window such as 09:00-18:00")
        start = _minutes(match[1], match[2], key, part)
        end = _minutes(match[3], match[4], key, part)
        if end <= start:
            raise HoursError(key, "empty", part, f"{part!r} is empty or ends before it starts")
        windows.append((start, end))
    windows.sort()
    for (_start, end), (next_start, _end) in pairwise(windows):
        if next_start < end:
            shown = format_windows(windows)
            raise HoursError(key, "overlap", shown, f"{shown} has overlapping windows")
    return tuple(windows)


def format_windows(windows: Iterable[Window]) -> str:
    return ",".join(f"{_clock(start)}-{_clock(end)}" for start, end in windows)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


OFFICE_HOURS: tuple[Window, ...] = parse_windows("09:00-12:00,13:30-18:00")


@dataclass(frozen=True)
class WorkingHours:
    """The windows kept on each kind of day. `weekdays` (Monday first) overrides the
    workday or weekend windows on that weekday's ordinary days; a make-up working day is
    worked with the workday windows, a public holiday with the holiday windows (none by
    default; a 24-hour outlet keeps 00:00-24:00 on every kind of day)."""

    workday: tuple[Window, ...] = OFFICE_HOURS
    weekend: tuple[Window, ...] = ()
    holiday: tuple[Window, ...] = ()
    weekdays: tuple[tuple[Window, ...] | None, ...] = (None,) * 7

    def __post_init__(self) -> None:
        if len(self.weekdays) != 7:
            raise ValueError("weekdays holds one entry for each day, Monday first")
        ordinary = [self.workday, self.weekend, *(w for w in self.weekdays if w is not None)]
        if not any(ordinary):
            raise HoursError(WORKDAY, "none", "",
                             "at least one working window is needed on ordinary days")

    def windows_on(self, day: date, kind: str) -> tuple[Window, ...]:
        if kind == CLOSED:
            return ()
        if kind == HOLIDAY:
            return self.holiday
        if kind == MAKEUP:
            return self.workday
        override = self.weekdays[day.weekday()]
        if override is not None:
            return override
        return self.workday if kind == WORKDAY else self.weekend

    @classmethod
    def parse(cls, text: str) -> "WorkingHours":
        """"workday=09:00-12:00,13:30-18:00; weekend=; holiday=; sat=09:00-12:00": kinds
        of day (workday, weekend, holiday) and weekday overrides (mon ... sun). A kind left
        out keeps its default; a weekday left out follows its kind."""
        values: dict[str, tuple[Window, ...]] = {}
        for part in filter(None, (piece.strip() for piece in text.split(";"))):
            key, equals, windows = part.partition("=")
            key = key.strip()
            if not equals or key not in DAY_KIND_KEYS + WEEKDAY_KEYS:
                raise HoursError(key or "hours", "day", part,
                                 f"{part!r} is not day=HH:MM-HH:MM[,...]; "
                                 "days: workday, weekend, holiday, mon ... sun")
            if key in values:
                raise HoursError(key, "twice", key, "named twice")
            values[key] = parse_windows(windows, key)
        return cls.of(values)

    @classmethod
    def of(cls, values: Mapping[str, tuple[Window, ...]]) -> "WorkingHours":
        kinds = {key: values[key] for key in DAY_KIND_KEYS if key in values}
        weekdays = tuple(values.get(key) for key in WEEKDAY_KEYS)
        return cls(**kinds, weekdays=weekdays)

    def text(self) -> str:
        """The canonical text `parse` reads back to the same hours."""
        parts = [f"{key}={format_windows(getattr(self, key))}" for key in DAY_KIND_KEYS]
        parts += [f"{key}={format_windows(windows)}"
                  for key, windows in zip(WEEKDAY_KEYS, self.weekdays, strict=True)
                  if windows is not None]
        return ";".join(parts)

    def runs_around_the_clock(self) -> bool:
        full = ((0, DAY_MINUTES),)
        return (self.workday == self.weekend == self.holiday == full
                and all(w in (None, full) for w in self.weekdays))


DEFAULT_HOURS = WorkingHours()


# ---------------------------------------------------------------- the business calendar


@dataclass(frozen=True)
class BusinessCalendar(Calendar):
    """The working hours kept on the days of a day book, in one time zone."""

    zone: ZoneInfo = DEFAULT_ZONE
    hours: WorkingHours = DEFAULT_HOURS
    days: DayBook = PACKAGE_ONLY

    def is_workday(self, day: date) -> bool:
        """Whether any working time is kept on `day`."""
        return bool(self.hours.windows_on(day, self.days.kind(day)))

    def guessed_between(self, start: datetime, end: datetime) -> bool:
        first, last = (_utc(moment).astimezone(self.zone).year for moment in (start, end))
        return any(self.days.year_is_guessed(year) for year in range(first, last + 1))

    def working_periods(self, since: datetime, until: datetime) -> Iterator[Period]:
        day = since.astimezone(self.zone).date()
        idle_days = 0
        while True:
            windows = self.hours.windows_on(day, self.days.kind(day))
            idle_days = 0 if windows else idle_days + 1
            if idle_days > LONGEST_CLOSURE_DAYS:
                raise ValueError(f"no working time for {LONGEST_CLOSURE_DAYS} days before {day}")
            for opens, closes in self._utc_windows(day, windows):
                if opens >= until:
                    return
                begin, end = max(opens, since), min(closes, until)
                if begin < end:
                    yield begin, end
            if self._utc_on(day + timedelta(days=1), 0) >= until:
                return
            day += timedelta(days=1)

    def _utc_windows(self, day: date, windows: tuple[Window, ...]) -> Iterator[Period]:
        # In UTC, because subtracting datetimes that share a zone ignores offset changes.
        for opens, closes in windows:
            yield self._utc_on(day, opens), self._utc_on(day, closes)

    def _utc_on(self, day: date, minutes: int) -> datetime:
        whole_days, minute_of_day = divmod(minutes, DAY_MINUTES)
        local = datetime.combine(day + timedelta(days=whole_days),
                                 time(minute_of_day // 60, minute_of_day % 60), tzinfo=self.zone)
        return local.astimezone(UTC)


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
