"""Service-level targets of work orders and the maths of their clocks.

Response and resolution run on the business calendar (working windows, Chinese public
holidays and make-up working days) and stop while the work order waits for parts or for
the customer. Emergency arrival runs on the clock: a burst pipe at 23:00 is not served
on the next working morning. The defaults are those certification practice checks
(../shared/reference/STANDARD.md); later issues make them an editable rubric.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from aftersales.core.calendar import BusinessCalendar, Calendar, ClockCalendar

BUSINESS = BusinessCalendar()
CLOCK = ClockCalendar()
EMERGENCY_ARRIVAL = timedelta(hours=2)


@dataclass(frozen=True)
class Targets:
    response: timedelta
    resolution: timedelta


# (type, priority) -> business-time targets; a missing pair falls back to its priority.
DEFAULT_TARGETS: dict[tuple[str | None, str], Targets] = {
    (None, "emergency"): Targets(timedelta(hours=1), timedelta(hours=8)),
    (None, "normal"): Targets(timedelta(hours=4), timedelta(hours=22, minutes=30)),
    ("installation", "normal"): Targets(timedelta(hours=4), timedelta(hours=37, minutes=30)),
    ("recycling", "normal"): Targets(timedelta(hours=8), timedelta(hours=37, minutes=30)),
}


def targets_for(ticket_type: str, priority: str) -> Targets:
    return DEFAULT_TARGETS.get((ticket_type, priority)) or DEFAULT_TARGETS[(None, priority)]


@dataclass(frozen=True)
class DueTimes:
    response: datetime
    resolution: datetime
    arrival: datetime | None


def due_times(ticket_type: str, priority: str, received_at: datetime) -> DueTimes:
    targets = targets_for(ticket_type, priority)
    arrival = CLOCK.add(received_at, EMERGENCY_ARRIVAL) if priority == "emergency" else None
    return DueTimes(
        response=BUSINESS.add(received_at, targets.response),
        resolution=BUSINESS.add(received_at, targets.resolution),
        arrival=arrival,
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
