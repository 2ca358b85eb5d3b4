"""Work orders: intake, the state machine and its SLA clocks, lists and timeline."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from aftersales.calendar import services as calendar_services
from aftersales.core import audit, geo
from aftersales.core.audit import label_change
from aftersales.core.clock import DEFAULT_ZONE, local_today, to_zone, utcnow
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.fields import INT_MAX
from aftersales.core.models import User
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope
from aftersales.customers import queries as customer_queries
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility
from aftersales.outlets import services as outlet_services
from aftersales.tickets import customer_steps, field_work, loaners, qualification, settings, sla
from aftersales.tickets.labels import STATE_LABELS
from aftersales.tickets.models import (
    FINISHED_STATES,
    PAUSED_STATES,
    IntakeChannel,
    Ticket,
    TicketEvent,
)

# The vocabularies other modules offer when they open a work order (the call console).
from aftersales.tickets.models import PRIORITIES as PRIORITIES
from aftersales.tickets.models import TICKET_TYPES as TICKET_TYPES

# The photos a customer sends with a report (the portal).
from aftersales.tickets.photos import PHOTO_KINDS as PHOTO_KINDS
from aftersales.tickets.photos import add_photo as add_photo

# state -> the states it may become. Anything else is refused with a clear message.
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"assigned", "cancelled"}),
    "assigned": frozenset({"dispatched", "new", "cancelled"}),
    "dispatched": frozenset({"on_site", "assigned", "cancelled"}),
    "on_site": frozenset({"waiting_parts", "waiting_customer", "resolved"}),
    "waiting_parts": frozenset({"dispatched", "on_site", "cancelled"}),
    "waiting_customer": frozenset({"dispatched", "on_site", "cancelled"}),
    "resolved": frozenset({"closed", "on_site"}),
    "closed": frozenset(),
    "cancelled": frozenset(),
}
# Steps the assigned technician takes on site; the others belong to the desk.
FIELD_STEPS = frozenset({"on_site", "waiting_parts", "waiting_customer", "resolved"})
MAX_BACKDATING = timedelta(days=30)


def _actor_label(actor: User | None) -> str:
    # Without a person, whoever the request acts as: a job (system), the customer portal.
    return actor.username if actor is not None else audit.current_actor().label


def _record_event(
    session: Session, ticket: Ticket, actor: User | None, to_state: str, note: str | None,
    from_state: str | None, at: datetime,
) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket.id, at=at, actor_id=actor.id if actor else None,
            actor_label=_actor_label(actor), from_state=from_state, to_state=to_state,
            note=note or None,
        )
    )


def _received_at(received_at: datetime | None, now: datetime) -> datetime:
    if received_at is None:
        return now
    if received_at > now:
        raise ValidationFailed(_l("A call cannot be received in the future."), "received_at")
    if now - received_at > MAX_BACKDATING:
        raise ValidationFailed(
            _l("Enter work orders within 30 days of the customer's report."), "received_at"
        )
    return received_at


def open_ticket(
    session: Session,
    actor: User | None,
    type: str,
    priority: str,
    customer_id: int,
    description: str,
    service_address: str | None = None,
    serial: str | None = None,
    product_id: int | None = None,
    outlet_id: int | None = None,
    received_at: datetime | None = None,
    now: datetime | None = None,
    geocoder: geo.Geocoder | None = None,
    scope: Scope | None = None,
    seen_by: customer_visibility.Visibility = customer_visibility.EVERYTHING,
    channel: str = IntakeChannel.DESK,
    window: tuple[datetime, datetime] | None = None,
    service_area: tuple[str, str] | None = None,
) -> Ticket:
    """A new work order for a customer the actor may see (`seen_by`). It belongs to an
    outlet from the start: the one named (inside the actor's `scope`), or the in-network
    outlet covering the service location for the product's category; with none, it is
    refused rather than stored where no scope sees it. `scope` None: system work (demo,
    return-visit follow-ups, the portal). `channel`: how it came in; `window`: the visit
    window the customer booked; `service_area`: the province and city of a service
    address given apart from the customer's record (the portal's form)."""
    customer = customer_services.get_customer(session, customer_id, seen_by)
    if not description.strip():
        raise ValidationFailed(_l("Describe the problem in the customer's words."), "description")
    unit = customer_services.find_serial(session, serial) if serial else None
    if unit is not None and unit.customer_id not in (None, customer.id):
        raise Conflict(_l("That serial number belongs to another customer."), field="serial")
    now = now or utcnow()  # given only when replaying history (demo data, imports)
    received = _received_at(received_at, now)
    address = (service_address or "").strip() or customer.full_address
    place = _place_of(customer, address, geocoder or geo.default_geocoder(), service_area)
    product_id = unit.product_id if unit else product_id
    outlet_id = _outlet_for(session, outlet_id, place, customer, product_id, received, scope)
    due = sla.due_times(calendar_services.calendar_for(session, outlet_id),
                        sla.targets_for(settings.current().targets, type, priority), received)
    ticket = Ticket(
        type=type,
        priority=priority,
        state="new",
        customer_id=customer.id,
        serial_id=unit.id if unit else None,
        product_id=product_id,
        outlet_id=outlet_id,
        created_by_id=actor.id if actor else None,
        channel=IntakeChannel(channel),
        description=description.strip(),
        service_address=address,
        service_latitude=place.latitude if place else None,
        service_longitude=place.longitude if place else None,
        service_location_precision=place.precision if place else None,
        warranty_status=customer_services.warranty_on(unit, local_today()).status,
        received_at=received,
        created_at=now,
        response_due_at=due.response,
        resolution_due_at=due.resolution,
        arrival_due_at=due.arrival,
        calendar_guessed=due.guessed,
        window_starts_at=window[0] if window else None,
        window_ends_at=window[1] if window else None,
    )
    session.add(ticket)
    session.flush()
    _record_event(session, ticket, actor, "new", None, None, now)
    session.flush()
    return ticket


def _outlet_for(session: Session, outlet_id: int | None, place: geo.Location | None,
                customer, product_id: int | None, received: datetime,
                scope: Scope | None) -> int:
    if outlet_id is not None:
        return outlet_services.get_outlet(session, outlet_id, scope).id
    product = customer_services.get_product(session, product_id) if product_id else None
    outlet = outlet_services.covering_outlet(
        session, place.latitude if place else None, place.longitude if place else None,
        customer.city, product.category if product else None,
        received.astimezone(DEFAULT_ZONE).date())
    if outlet is None:
        raise ValidationFailed(
            _l("No outlet of the network serves this address for this product: choose the "
               "outlet that takes the work."), field="outlet_id")
    if scope is not None and not scope.allows(outlet.id, outlet.region_code):
        raise PermissionDenied(
            _l("This address is served by outlet %(code)s, outside your outlets: pass the "
               "call to a colleague there.", code=outlet.code), field="outlet_id")
    return outlet.id


@dataclass(frozen=True)
class OutletOffer:
    """Where a new work order would go, for the desk to show while opening it: the outlet
    that covers the place (`covering`, None when no outlet serves it) and the outlets in
    the actor's scope that serve it, nearest first, to choose another."""

    covering: outlet_services.ServingOutlet | None
    choices: list[outlet_services.ServingOutlet]

    @property
    def covering_is_ours(self) -> bool:
        return self.covering is not None and self.covering in self.choices


def outlet_offer(session: Session, customer_id: int, serial: str | None, scope: Scope,
                 seen_by: customer_visibility.Visibility, day=None,
                 geocoder: geo.Geocoder | None = None) -> OutletOffer:
    """The outlets a work order for this customer (at their address, for this unit) may be
    opened at, as open_ticket places it."""
    customer = customer_services.get_customer(session, customer_id, seen_by)
    unit = _unit_or_none(session, serial, seen_by)
    place = _place_of(customer, customer.full_address, geocoder or geo.default_geocoder())
    serving = outlet_services.outlets_serving(
        session, place.latitude if place else None, place.longitude if place else None,
        customer.city, unit.product.category if unit else None, day or local_today())
    choices = [offer for offer in serving
               if scope.allows(offer.outlet.id, offer.outlet.region_code)]
    return OutletOffer(serving[0] if serving else None, choices)


def covering_outlet_at(session: Session, province: str, city: str, address: str,
                       serial: str | None, day, geocoder: geo.Geocoder | None = None):
    """The outlet a report at this address, for this unit if its serial is one of ours,
    goes to (as open_ticket places it); None when no outlet of the network serves it."""
    place = (geocoder or geo.default_geocoder()).locate(province, city, "", address)
    unit = _unit_or_none(session, serial, customer_visibility.EVERYTHING)
    return outlet_services.covering_outlet(
        session, place.latitude if place else None, place.longitude if place else None,
        city, unit.product.category if unit else None, day)


def _unit_or_none(session: Session, serial: str | None,
                  seen_by: customer_visibility.Visibility):
    """The unit named, if any (a serial typed wrong is open_ticket's to refuse)."""
    try:
        return customer_services.find_serial(session, serial, seen_by) if serial else None
    except NotFound:
        return None


def _place_of(customer, address: str, geocoder: geo.Geocoder,
              service_area: tuple[str, str] | None = None) -> geo.Location | None:
    """The customer's own coordinates when the work is at their address; else the
    district or city centroid (a different address is placed from its own text, in the
    province and city given with it, else the customer's)."""
    if service_area is not None:
        return geocoder.locate(*service_area, "", address)
    at_home = address == customer.full_address
    if at_home and customer.latitude is not None and customer.longitude is not None:
        return geo.Location(customer.latitude, customer.longitude, "exact")
    if at_home:
        return geocoder.locate(customer.province, customer.city, customer.district,
                               customer.address)
    return geocoder.locate(customer.province, customer.city, "", address)


def get_ticket(session: Session, ticket_id: int, scope: Scope | None = None) -> Ticket:
    stmt = (
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(selectinload(Ticket.events))
        .execution_options(populate_existing=True)
    )
    stmt = scoped(stmt, scope)
    ticket = session.scalar(stmt)
    if ticket is None:
        raise NotFound(_l("No such work order."))
    return ticket


# A work-order number as people type it: "WO00000731", "wo731" or plain "731".
_TYPED_NUMBER = re.compile(r"(?:WO)?\s*0*(\d{1,10})", re.IGNORECASE)


def ticket_id_of_number(typed: str) -> int:
    """The work order a typed number names (its id), or ValidationFailed saying how it is
    written. Whether that work order exists, and is in the reader's sight, is get_ticket's."""
    ticket_id = _id_of_number(typed)
    if ticket_id is None:
        raise ValidationFailed(_l("Not a work order number (written like WO00000731)."))
    return ticket_id


def _id_of_number(typed: str) -> int | None:
    """The id in "WO00000731", "wo731" or "731", if it is one an id column can hold (a
    phone number typed in a search box is not: PostgreSQL refuses to compare it)."""
    match = _TYPED_NUMBER.fullmatch(typed.strip())
    if match is None or not 0 < int(match.group(1)) <= INT_MAX:
        return None
    return int(match.group(1))


def scoped(stmt: Select, scope: Scope | None) -> Select:
    return outlet_services.in_scope(stmt, scope, Ticket.outlet_id)


def _technician(session: Session, technician_id: int | None, ticket: Ticket) -> User:
    """An enabled technician who can work on this order's outlet (else the order would be
    out of their sight while its clock runs)."""
    technician = session.get(User, technician_id) if technician_id is not None else None
    if technician is None or "technician" not in technician.roles or not technician.is_enabled:
        raise ValidationFailed(_l("Choose an active technician."), field="technician_id")
    if not outlet_services.may_act_at(session, technician, "tickets.work", ticket.outlet_id):
        raise ValidationFailed(
            _l("%(name)s does not work for this work order's outlet.",
               name=technician.display_name), field="technician_id")
    return technician


def _pauses(
    session: Session, ticket: Ticket, now: datetime
) -> list[tuple[datetime, datetime | None]]:
    """Intervals spent waiting for parts or the customer: the stored timeline, then the
    step being taken now."""
    stored = session.execute(
        select(TicketEvent.at, TicketEvent.to_state)
        .where(TicketEvent.ticket_id == ticket.id)
        .order_by(TicketEvent.id)
    ).all()
    pauses, started = [], None
    for at, state in [*stored, (now, ticket.state)]:
        if state in PAUSED_STATES and started is None:
            started = at
        elif state not in PAUSED_STATES and started is not None:
            pauses.append((started, at))
            started = None
    if started is not None:
        pauses.append((started, None))
    return pauses


@dataclass(frozen=True)
class Move:
    to_state: str
    note: str | None = None
    technician_id: int | None = None
    reason: str | None = None
    override_reason: str | None = None  # a manager sending someone without a certificate


def _check_allowed(ticket: Ticket, move: Move, actor: User, may_dispatch: bool) -> None:
    if move.to_state not in TRANSITIONS[ticket.state]:
        raise Conflict(
            _l(
                "A work order that is %(current)s cannot become %(wanted)s.",
                current=STATE_LABELS[ticket.state], wanted=STATE_LABELS[move.to_state],
            ),
            field="to_state",
        )
    own_field_step = move.to_state in FIELD_STEPS and ticket.technician_id == actor.id
    if not (may_dispatch or own_field_step):
        raise PermissionDenied(_l("Only the assigned technician or the desk may do this."))


def _check_preconditions(session: Session, ticket: Ticket, move: Move) -> None:
    if move.to_state in ("resolved", "closed"):
        field_work.ensure_quote_covers(session, ticket)
    if move.to_state == "closed" and field_work.signoff_of(session, ticket.id) is None:
        raise Conflict(_l("Close after the customer has signed off."), field="to_state")
    if move.to_state in ("closed", "cancelled") and loaners.open_loan(session, ticket.id):
        raise Conflict(
            _l("The customer still has the loaner: take it back first."), field="to_state"
        )


def move_ticket(
    session: Session, ticket: Ticket, move: Move, actor: User, may_dispatch: bool,
    now: datetime | None = None, may_override: bool = False,
) -> Ticket:
    """Apply one step of the state machine, stamping times and SLA outcomes."""
    _check_allowed(ticket, move, actor, may_dispatch)
    _check_preconditions(session, ticket, move)
    now, previous = now or utcnow(), ticket.state
    with session.no_autoflush:  # one flush, so the step is one named audit entry
        if move.to_state == "assigned":
            technician_id = _technician(session, move.technician_id, ticket).id
            qualification.check(session, ticket, technician_id, move.override_reason,
                                may_override, actor, to_zone(now).date())
            ticket.technician_id = technician_id
        if move.to_state == "new":
            ticket.technician_id = None
        if move.to_state == "cancelled":
            if not (move.reason or "").strip():
                raise ValidationFailed(_l("Say why the work order is cancelled."), "reason")
            ticket.cancel_reason = move.reason.strip()
        ticket.state = move.to_state
        _stamp_clocks(session, ticket, previous, now)
        _record_event(session, ticket, actor, move.to_state, move.note, previous, now)
        label_change(session, ticket, f"state:{move.to_state}")
    session.flush()
    customer_steps.asked_after_move(session, ticket, now)
    return ticket


def _stamp_clocks(session: Session, ticket: Ticket, previous: str, now: datetime) -> None:
    targets = sla.targets_for(settings.current().targets, ticket.type, ticket.priority)
    calendar = sla.counting(targets, calendar_services.calendar_for(session, ticket.outlet_id))
    if previous == "new" and ticket.responded_at is None:
        ticket.responded_at = now
        ticket.response_met = now <= ticket.response_due_at
    if ticket.state == "on_site" and ticket.arrived_at is None:
        ticket.arrived_at = now  # the emergency SLA waits for a verified GPS arrival (stamps.py)
    pauses = _pauses(session, ticket, now)
    if previous in PAUSED_STATES and ticket.state not in PAUSED_STATES:
        # Waiting stopped the clock; the resolution is due that much later.
        ticket.resolution_due_at = calendar.add(ticket.received_at, targets.resolution, pauses)
    if ticket.state == "resolved":
        ticket.resolved_at = now
        result = sla.outcome(calendar, ticket.received_at, targets.resolution, now, pauses)
        ticket.resolution_met = result.met
        ticket.resolution_variance_seconds = result.variance_seconds
    last = ticket.resolved_at if ticket.state == "resolved" else ticket.resolution_due_at
    ticket.calendar_guessed = calendar.guessed_between(ticket.received_at, max(last, now))
    if ticket.state == "closed":
        ticket.closed_at = now


@dataclass(frozen=True)
class TicketFilters:
    state: str | None = None
    type: str | None = None
    priority: str | None = None
    outlet_id: int | None = None
    technician_id: int | None = None
    customer_id: int | None = None
    overdue: bool = False
    q: str | None = None  # a number as displayed, a customer's name or phone, or a serial


def _matching(term: str):
    """Work orders a search box term names: by number, by the customer's whole phone
    number or the start of their name (each through the customers' own indexes), or by the
    unit's serial."""
    term = term.strip()
    ticket_id = _id_of_number(term)
    matches = [
        Ticket.customer_id.in_(customer_queries.customers_matching(term)),
        Ticket.serial_id.in_(customer_queries.units_with_serial(term)),
    ]
    if ticket_id is not None:
        matches.append(Ticket.id == ticket_id)
    return or_(*matches)


def list_tickets(
    session: Session, scope: Scope, filters: TicketFilters, cursor: str | None, limit: int
) -> Page:
    stmt = scoped(select(Ticket), scope)
    for column, value in (
        (Ticket.state, filters.state),
        (Ticket.type, filters.type),
        (Ticket.priority, filters.priority),
        (Ticket.outlet_id, filters.outlet_id),
        (Ticket.technician_id, filters.technician_id),
        (Ticket.customer_id, filters.customer_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.overdue:
        stmt = stmt.where(
            Ticket.resolution_due_at < utcnow(),
            Ticket.state.not_in(FINISHED_STATES + PAUSED_STATES),
        )
    if filters.q and filters.q.strip():
        stmt = stmt.where(_matching(filters.q))
    return keyset_page(session, stmt, Ticket.id, cursor, limit)


def open_tickets_of(session: Session, technician_id: int) -> list[Ticket]:
    """A technician's unfinished work orders, emergencies first, then by due time."""
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.technician_id == technician_id, Ticket.state.not_in(FINISHED_STATES))
            .order_by(Ticket.priority.asc(), Ticket.resolution_due_at)
            .limit(200)
        )
    )


def waiting_counts(session: Session, scope: Scope) -> tuple[int, int]:
    """Work orders waiting for a technician in the scope, and how many are emergencies."""
    row = session.execute(scoped(
        select(func.count(), func.count(case((Ticket.priority == "emergency", 1))))
        .select_from(Ticket).where(Ticket.state == "new"), scope,
    )).one()
    return row[0], row[1]


def open_count_of(session: Session, technician_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.technician_id == technician_id, Ticket.state.not_in(FINISHED_STATES)))


def open_tickets_of_customer(
    session: Session, customer_id: int, scope: Scope, limit: int
) -> list[Ticket]:
    stmt = scoped(
        select(Ticket).where(
            Ticket.customer_id == customer_id, Ticket.state.not_in(FINISHED_STATES)
        ),
        scope,
    )
    return list(session.scalars(stmt.order_by(Ticket.id.desc()).limit(limit)))


# ---------------------------------------------------------------- whose customers


@customer_visibility.linked_by_scope
def customers_with_work_in(scope: Scope) -> Select:
    """Customers with a work order at an outlet inside `scope`."""
    return outlet_services.in_scope(select(Ticket.customer_id), scope, Ticket.outlet_id)


@customer_visibility.linked_by_assignee
def customers_of_technician(technician_id: int) -> Select:
    return select(Ticket.customer_id).where(Ticket.technician_id == technician_id)
