"""Service-level targets of work orders and the maths of their clocks.

Targets are configuration (AFTERSALES_TICKET_TARGETS), per type and priority: response,
on-site arrival and resolution. Response and resolution count business hours by default
(the business calendar of the outlet the work order belongs to: its working hours, the
year's holidays and make-up working days) and stop while the work order waits for parts
or for the customer; a target may count clock hours instead (`@clock`). On-site arrival
counts clock hours from receipt, always: the 2-hour emergency arrival is a certification
figure measured on the wall clock (a burst pipe at 23:00 is not served next morning).
"""

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from aftersales.core.calendar import Calendar, ClockCalendar
from aftersales.tickets.models import PRIORITIES, TICKET_TYPES

CLOCK = ClockCalendar()
TIME_BASES = ("business", "clock")
DEFAULT_TARGETS_TEXT = (
    "emergency=1h/2h/8h,normal=4h/-/22.5h,"
    "installation.normal=4h/-/37.5h,recycling.normal=8h/-/37.5h"
)


@dataclass(frozen=True)
class Targets:
    response: timedelta
    on_site: timedelta | None
    resolution: timedelta
    time_base: str = "business"  # what response and resolution count


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_TARGET = re.compile(
    r"^(?:(?P<type>[a-z_]+)\.)?(?P<priority>[a-z_]+)="
    r"(?P<response>[^/@]+)/(?P<on_site>[^/@]+)/(?P<resolution>[^/@]+)(?:@(?P<base>[a-z]+))?$"
)


def _duration(text: str, where: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not match or float(match[1]) <= 0:
        raise ValueError(f"work-order targets: {where}: {text!r} is not a positive duration "
                         "such as 30m, 4h or 3d")
    return timedelta(**{_UNITS[match[2]]: float(match[1])})


@functools.lru_cache(maxsize=8)
def parse_targets(text: str) -> dict[tuple[str | None, str], Targets]:
    """"emergency=1h/2h/8h, installation.normal=4h/-/37.5h@clock": [type.]priority =
    response/on-site/resolution ("-": no on-site target), business hours unless @clock.
    Pairs left out keep the defaults; a type without its own pair follows its priority."""
    targets = dict(_DEFAULTS)
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = _TARGET.match(part)
        if not match:
            raise ValueError(f"work-order targets: {part!r} is not "
                             "[type.]priority=response/on-site/resolution[@clock]")
        if match["priority"] not in PRIORITIES:
            raise ValueError(f"work-order targets: {part!r}: priority is one of "
                             f"{', '.join(PRIORITIES)}")
        if match["type"] is not None and match["type"] not in TICKET_TYPES:
            raise ValueError(f"work-order targets: {part!r}: type is one of "
                             f"{', '.join(TICKET_TYPES)}")
        base = match["base"] or "business"
        if base not in TIME_BASES:
            raise ValueError(f"work-order targets: {part!r}: @business or @clock")
        on_site = None if match["on_site"].strip() == "-" else _duration(match["on_site"], part)
        targets[(match["type"], match["priority"])] = Targets(
            _duration(match["response"], part), on_site, _duration(match["resolution"], part),
            base)
    missing = [priority for priority in PRIORITIES if (None, priority) not in targets]
    if missing:
        raise ValueError(f"work-order targets: no target for priority {', '.join(missing)}")
    return targets


_DEFAULTS: dict[tuple[str | None, str], Targets] = {}
_DEFAULTS.update(parse_targets(DEFAULT_TARGETS_TEXT))


def targets_for(table: dict[tuple[str | None, str], Targets], ticket_type: str,
                priority: str) -> Targets:
    """The targets of a type and priority in the configured table (tickets/settings.py)."""
    return table.get((ticket_type, priority)) or table[(None, priority)]


@dataclass(frozen=True)
class DueTimes:
    response: datetime
    resolution: datetime
    arrival: datetime | None
    guessed: bool  # counted over a year whose holiday schedule nobody entered


def counting(targets: Targets, business: Calendar) -> Calendar:
    """The calendar response and resolution count on."""
    return business if targets.time_base == "business" else CLOCK


def due_times(business: Calendar, targets: Targets, received_at: datetime) -> DueTimes:
    calendar = counting(targets, business)
    resolution = calendar.add(received_at, targets.resolution)
    return DueTimes(
        response=calendar.add(received_at, targets.response),
        resolution=resolution,
        arrival=CLOCK.add(received_at, targets.on_site) if targets.on_site else None,
        guessed=calendar.guessed_between(received_at, resolution),
    )


@dataclass(frozen=True)
class Outcome:
    met: bool
    variance_seconds: int  # negative: early; positive: late


def outcome(
    calendar: Calendar,
    received_at: datetime,
    target: timedelta,
    done_at: datetime,
    pauses: list[tuple[datetime, datetime | None]],
) -> Outcome:
    """Met or failed, and by how much, counting only un-paused working time."""
    spent = calendar.elapsed(received_at, done_at, pauses)
    variance = int((spent - target).total_seconds())
    return Outcome(met=variance <= 0, variance_seconds=variance)
