"""Complaints and the business calendar: after the calendar changes, running business-hour
clocks get new due times and stopped ones keep their stored outcome (said on the
timeline); the clocks counted on a guessed calendar, for the evidence report. The response
clock always counts clock hours, so only resolution clocks (on the business calendar)
are concerned.

Registered with aftersales/calendar/services.py, which imports this file when it needs it.
"""

from datetime import datetime

from sqlalchemy import and_, insert, literal, select
from sqlalchemy.orm import Session

from aftersales.calendar import services as calendar_services
from aftersales.complaints import services
from aftersales.complaints.models import (
    Complaint,
    ComplaintClock,
    ComplaintEvent,
    complaint_number,
)
from aftersales.core.audit import label_change
from aftersales.core.types import UTCDateTime


@calendar_services.on_calendar_change
def recompute_clocks(session: Session, change: calendar_services.CalendarChange) -> int:
    """The running business-hour clocks the change touches get new due times."""
    bounds = change.utc_bounds()
    running = (
        select(ComplaintClock, Complaint)
        .join(Complaint, and_(Complaint.id == ComplaintClock.complaint_id,
                              Complaint.cycle == ComplaintClock.cycle))
        .where(ComplaintClock.calendar == "business", ComplaintClock.stopped_at.is_(None))
    )
    if change.outlet_id is not None:
        running = running.where(Complaint.outlet_id == change.outlet_id)
    if bounds is not None:
        running = running.where(ComplaintClock.started_at < bounds[1],
                                (ComplaintClock.due_at >= bounds[0])
                                | ComplaintClock.due_at.is_(None))
    touched = session.execute(running.order_by(ComplaintClock.complaint_id)).all()
    for clock, complaint in touched:
        services.recompute_due(session, complaint, clock, services.cycle_pauses(session,
                                                                                complaint))
        label_change(session, clock, "calendar_recompute")
        services.set_next_due(session, complaint)
    if bounds is not None and change.touches_the_past:
        _note_kept_outcomes(session, change, bounds)
    return len(touched)


def _note_kept_outcomes(session: Session, change: calendar_services.CalendarChange,
                        bounds: tuple[datetime, datetime]) -> None:
    """One timeline line on each complaint cycle whose stopped clock counted over the days."""
    start, end = bounds
    stopped = (
        select(ComplaintClock.complaint_id, ComplaintClock.cycle,
               literal(change.at, UTCDateTime()), literal("system"), literal("note"),
               literal(calendar_services.kept_outcome_note(change)))
        .join(Complaint, Complaint.id == ComplaintClock.complaint_id)
        .where(ComplaintClock.calendar == "business", ComplaintClock.started_at < end,
               ComplaintClock.stopped_at >= start)
        .group_by(ComplaintClock.complaint_id, ComplaintClock.cycle)
    )
    if change.outlet_id is not None:
        stopped = stopped.where(Complaint.outlet_id == change.outlet_id)
    session.execute(insert(ComplaintEvent).from_select(
        ["complaint_id", "cycle", "at", "actor_label", "kind", "text"], stopped))


@calendar_services.lists_guessed_clocks
def guessed_clocks(session: Session, start: datetime, end: datetime,
                   limit: int) -> calendar_services.GuessedClocks:
    rows = (select(ComplaintClock.complaint_id, ComplaintClock.kind, ComplaintClock.started_at,
                   ComplaintClock.due_at)
            .where(ComplaintClock.calendar_guessed, ComplaintClock.started_at >= start,
                   ComplaintClock.started_at < end)
            .order_by(ComplaintClock.started_at, ComplaintClock.id))
    return calendar_services.guessed_listing(
        session, rows, limit, lambda complaint_id, kind, started_at, due_at:
        calendar_services.GuessedClock(complaint_number(complaint_id), kind, started_at, due_at))
