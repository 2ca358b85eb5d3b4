"""Complaint clocks: targets per severity, the calendar they count on, and the ladder.

Clock hours by default (a complaint received on Friday evening is owed an answer on
Saturday evening); AFTERSALES_COMPLAINT_CALENDAR=business counts the resolution clock in
working hours of the business calendar of the complaint's outlet. The response clock counts
clock hours from receipt whatever that setting: the 24-hour response is a certification
figure measured on the wall clock. Pauses stop the clock.
"""

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aftersales.calendar import services as calendar_services
from aftersales.complaints.models import CALENDARS
from aftersales.core.calendar import Calendar, ClockCalendar, Pause

CLOCK = ClockCalendar()
# The clocks that count on the wall clock whatever calendar the company chose.
WALL_CLOCK_KINDS = frozenset({"response"})


@dataclass(frozen=True)
class Targets:
    response: timedelta
    resolution: timedelta


DEFAULT_TARGETS: dict[str, Targets] = {
    "critical": Targets(timedelta(hours=4), timedelta(days=3)),
    "serious": Targets(timedelta(hours=12), timedelta(days=5)),
    "normal": Targets(timedelta(hours=24), timedelta(days=7)),
    "minor": Targets(timedelta(hours=24), timedelta(days=7)),
}
DEFAULT_TARGETS_TEXT = "critical=4h/3d,serious=12h/5d,normal=24h/7d,minor=24h/7d"

RECIPIENTS = ("handler", "supervisor", "manager")


@dataclass(frozen=True)
class Step:
    """A rung of the ladder: when `fraction` of the clock's target has run (pauses not
    counted), plus `after` of wall time, notify `recipient`."""

    key: str
    clock: str
    fraction: float
    after: timedelta
    recipient: str

    def threshold(self, calendar: Calendar, started_at: datetime, target: timedelta,
                  pauses: list[Pause]) -> datetime | None:
        """When this step is due (None while an open pause holds the clock before it)."""
        reached = calendar.add(started_at, target * self.fraction, pauses)
        return None if reached is None else reached + self.after

    def lead(self, target: timedelta) -> timedelta:
        """The least wall time from the clock's start to this step: counted time never
        runs faster than the wall, so a clock started later cannot be due yet."""
        return target * self.fraction + self.after


DEFAULT_LADDER_TEXT = (
    "response_75=response@0.75>handler,"
    "response_breach=response@1>supervisor,"
    "response_breach_24h=response@1+24h>manager,"
    "resolution_75=resolution@0.75>handler,"
    "resolution_breach=resolution@1>supervisor"
)

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_STEP = re.compile(
    r"^(?P<key>[a-z0-9_]{1,32})=(?P<clock>response|resolution)@(?P<fraction>\d+(?:\.\d+)?)"
    r"(?:\+(?P<after>\d+(?:\.\d+)?[mhd]))?>(?P<recipient>handler|supervisor|manager)$"
)


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a duration such as 30m, 24h or 7d")
    value = timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    if value <= timedelta(0):
        raise ValueError(f"{text!r} is not a positive duration")
    return value


@functools.lru_cache(maxsize=8)
def parse_targets(text: str) -> dict[str, Targets]:
    """"critical=4h/3d,normal=24h/7d": response/resolution per severity; the severities
    not named keep their defaults."""
    targets = dict(DEFAULT_TARGETS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        severity, _, spans = part.partition("=")
        if severity not in DEFAULT_TARGETS or spans.count("/") != 1:
            raise ValueError(f"complaint targets: {part!r} is not severity=response/resolution")
        response, resolution = (parse_duration(span) for span in spans.split("/"))
        targets[severity] = Targets(response, resolution)
    return targets


@functools.lru_cache(maxsize=8)
def parse_ladder(text: str) -> tuple[Step, ...]:
    """"key=clock@fraction[+after]>recipient, ...", e.g. response_75=response@0.75>handler."""
    steps = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _STEP.match(part)
        if not match:
            raise ValueError(
                f"complaint ladder: {part!r} is not key=response|resolution@fraction[+24h]"
                ">handler|supervisor|manager"
            )
        after = parse_duration(match["after"]) if match["after"] else timedelta(0)
        steps.append(Step(match["key"], match["clock"], float(match["fraction"]), after,
                          match["recipient"]))
    if len({step.key for step in steps}) != len(steps):
        raise ValueError("complaint ladder: step keys must be unique")
    return tuple(steps)


def parse_calendar_name(name: str) -> str:
    if name not in CALENDARS:
        raise ValueError(f"{name!r} is not clock or business")
    return name


def calendar_of_clock(kind: str, chosen: str) -> str:
    """The calendar a clock of `kind` counts on, the company having chosen `chosen`."""
    return "clock" if kind in WALL_CLOCK_KINDS else chosen


def calendar_named(session: Session, name: str, outlet_id: int | None) -> Calendar:
    return CLOCK if name == "clock" else calendar_services.calendar_for(session, outlet_id)


@dataclass(frozen=True)
class Outcome:
    met: bool
    elapsed_seconds: int
    variance_seconds: int  # negative: early; positive: late


def outcome(calendar: Calendar, started_at: datetime, target: timedelta, stopped_at: datetime,
            pauses: list[Pause]) -> Outcome:
    """Met or failed, and by how much, counting only un-paused calendar time."""
    spent = int(calendar.elapsed(started_at, stopped_at, pauses).total_seconds())
    variance = spent - int(target.total_seconds())
    return Outcome(met=variance <= 0, elapsed_seconds=spent, variance_seconds=variance)


def paused_seconds(pauses: list[Pause], until: datetime) -> int:
    """Wall seconds the pauses cover up to `until` (an open pause runs until then)."""
    total = timedelta(0)
    for start, end in pauses:
        stop = min(end or until, until)
        if stop > start:
            total += stop - start
    return int(total.total_seconds())
