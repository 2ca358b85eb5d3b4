"""A work order as its customer follows it on the portal: the steps in plain words
(received, assigned, on the way with an expected arrival, arrived, done), the technician
by name, the fee quote and what the customer has confirmed. Nothing staff-only: no notes,
no other customer, no outlet internals."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.core import geo
from aftersales.core.clock import utcnow
from aftersales.core.models import User
from aftersales.customers import attestations
from aftersales.customers import services as customer_services
from aftersales.customers.attestations import Milestone
from aftersales.tickets import services, stamps
from aftersales.tickets.labels import TYPE_LABELS
from aftersales.tickets.models import Ticket, TicketEvent, ticket_number

# A technician in town traffic, for the expected arrival: a promise, so on the slow side.
TRAVEL_KMH = 25
ROUNDED_TO = timedelta(minutes=5)


@dataclass(frozen=True)
class CustomerView:
    number: str
    kind: object
    product: str
    milestones: list[Milestone]
    cancelled: bool
    technician: str
    expected_at: datetime | None
    quote_fen: int | None
    quote_accepted_at: datetime | None
    acts: list


def ticket_of(session: Session, number: str, phone: str) -> Ticket | None:
    """The work order of this number whose customer has this phone, else None (the portal
    answers both the same way)."""
    ticket_id = services.ticket_id_of_number(number) if number.strip() else None
    ticket = session.get(Ticket, ticket_id) if ticket_id else None
    if ticket is None:
        return None
    return ticket if customer_services.is_customers_phone(session, ticket.customer_id,
                                                          phone) else None


def _first_reached(session: Session, ticket_id: int) -> dict[str, datetime]:
    return dict(session.execute(
        select(TicketEvent.to_state, func.min(TicketEvent.at))
        .where(TicketEvent.ticket_id == ticket_id).group_by(TicketEvent.to_state)).all())


def _expected_arrival(session: Session, ticket: Ticket) -> datetime | None:
    """From the technician's latest GPS stamp and the service address, at town speed;
    without both, the arrival promised for an emergency, if any."""
    position = stamps.last_positions(session, [ticket.technician_id]).get(ticket.technician_id)
    if position is None or ticket.service_latitude is None:
        return ticket.arrival_due_at
    metres = geo.distance_m((position.latitude, position.longitude),
                            (ticket.service_latitude, ticket.service_longitude))
    steps = math.ceil(metres / (TRAVEL_KMH * 1000 / 3600) / ROUNDED_TO.total_seconds())
    return utcnow() + max(1, steps) * ROUNDED_TO


def view_of(session: Session, ticket_id: int) -> CustomerView:
    ticket = session.get(Ticket, ticket_id)
    reached = _first_reached(session, ticket.id)
    technician = session.get(User, ticket.technician_id) if ticket.technician_id else None
    product = customer_services.get_product(session, ticket.product_id) \
        if ticket.product_id else None
    milestones = [
        Milestone(_l("Received"), ticket.received_at),
        Milestone(_l("Technician assigned"), reached.get("assigned")),
        Milestone(_l("Technician on the way"), reached.get("dispatched")),
        Milestone(_l("Technician arrived"), ticket.arrived_at),
        Milestone(_l("Work done"), ticket.resolved_at),
    ]
    return CustomerView(
        number=ticket_number(ticket.id), kind=TYPE_LABELS[ticket.type],
        product=product.name if product else "", milestones=milestones,
        cancelled=ticket.state == "cancelled",
        technician=technician.display_name if technician else "",
        expected_at=_expected_arrival(session, ticket) if ticket.state == "dispatched"
        else None,
        quote_fen=ticket.quote_fen, quote_accepted_at=ticket.quote_accepted_at,
        acts=attestations.acts_of(session, "ticket", [ticket.id]).get(ticket.id, []),
    )
