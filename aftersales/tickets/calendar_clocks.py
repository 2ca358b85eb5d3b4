"""Work orders and the business calendar: after the calendar changes, running clocks get
new due times and stopped ones keep their stored outcome (said on the timeline); the
work orders counted on a guessed calendar, for the evidence report.

Registered with aftersales/calendar/services.py, which imports this file when it needs it.
"""

from datetime import datetime

from sqlalchemy import insert, literal, or_, select
from sqlalchemy.orm import Session

from aftersales.calendar import services as calendar_services
from aftersales.core.audit import label_change
from aftersales.core.types import UTCDateTime
from aftersales.tickets import settings, sla
from aftersales.tickets.models import (
    FINISHED_STATES,
    PAUSED_STATES,
    Ticket,
    TicketEvent,
    ticket_number,
)

PAUSES_BATCH = 500


@calendar_services.on_calendar_change
def recompute_clocks(session: Session, change: calendar_services.CalendarChange) -> int:
    """The running clocks the change touches get new due times; returns how many."""
    bounds = change.utc_bounds()
    running = select(Ticket).where(Ticket.state.not_in((*FINISHED_STATES, *PAUSED_STATES)))
    if change.outlet_id is not None:
        running = running.where(Ticket.outlet_id == change.outlet_id)
    if bounds is not None:
        running = running.where(Ticket.received_at < bounds[1],
                                Ticket.resolution_due_at >= bounds[0])
    tickets = list(session.scalars(running.order_by(Ticket.id)))
    pauses = _pauses_of(session, [ticket.id for ticket in tickets])
    for ticket in tickets:
        _recompute_due(session, ticket, pauses.get(ticket.id, []))
    if bounds is not None and change.touches_the_past:
        _note_kept_outcomes(session, change, bounds)
    return len(tickets)


def _recompute_due(session: Session, ticket: Ticket, pauses: list) -> None:
    targets = sla.targets_for(settings.current().targets, ticket.type, ticket.priority)
    calendar = sla.counting(targets, calendar_services.calendar_for(session, ticket.outlet_id))
    if ticket.responded_at is None:
        ticket.response_due_at = calendar.add(ticket.received_at, targets.response)
    ticket.resolution_due_at = calendar.add(ticket.received_at, targets.resolution, pauses)
    ticket.calendar_guessed = calendar.guessed_between(ticket.received_at,
                                                       ticket.resolution_due_at)
    label_change(session, ticket, "calendar_recompute")


def _pauses_of(session: Session, ticket_ids: list[int]) -> dict[int, list]:
    """The closed waiting intervals of many work orders, a query per 500 of them."""
    found: dict[int, list] = {}
    for offset in range(0, len(ticket_ids), PAUSES_BATCH):
        rows = session.execute(
            select(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.to_state)
            .where(TicketEvent.ticket_id.in_(ticket_ids[offset:offset + PAUSES_BATCH]))
            .order_by(TicketEvent.ticket_id, TicketEvent.id)
        )
        started: dict[int, datetime] = {}
        for ticket_id, at, state in rows:
            if state in PAUSED_STATES and ticket_id not in started:
                started[ticket_id] = at
            elif state not in PAUSED_STATES and ticket_id in started:
                found.setdefault(ticket_id, []).append((started.pop(ticket_id), at))
    return found


def _note_kept_outcomes(session: Session, change: calendar_services.CalendarChange,
                        bounds: tuple[datetime, datetime]) -> None:
    """One timeline line on each work order whose stopped clock counted over the days."""
    start, end = bounds
    stopped = select(
        Ticket.id, literal(change.at, UTCDateTime()), literal("system"), Ticket.state,
        Ticket.state, literal(calendar_services.kept_outcome_note(change)),
    ).where(
        Ticket.received_at < end,
        or_(Ticket.responded_at >= start, Ticket.resolved_at >= start),
    )
    if change.outlet_id is not None:
        stopped = stopped.where(Ticket.outlet_id == change.outlet_id)
    session.execute(insert(TicketEvent).from_select(
        ["ticket_id", "at", "actor_label", "from_state", "to_state", "note"], stopped))


@calendar_services.lists_guessed_clocks
def guessed_clocks(session: Session, start: datetime, end: datetime,
                   limit: int) -> calendar_services.GuessedClocks:
    rows = (select(Ticket.id, Ticket.received_at, Ticket.resolution_due_at)
            .where(Ticket.calendar_guessed, Ticket.received_at >= start, Ticket.received_at < end)
            .order_by(Ticket.received_at, Ticket.id))
    return calendar_services.guessed_listing(
        session, rows, limit, lambda ticket_id, received_at, due_at: calendar_services.GuessedClock(
            ticket_number(ticket_id), "response+resolution", received_at, due_at))
