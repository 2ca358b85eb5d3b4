"""The customer confirms a work order's steps from their own phone: when the technician
quotes a fee, arrives, and finishes, the customer is sent a one-time link (by SMS, or shown
to the technician to share in WeChat or as a QR code); the portal spends it here, and the
confirmation is stored as the customer's act (customers/attestations.py), never as a staff
click. A quote link accepts only the amount it was sent for."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict
from aftersales.core.models import User
from aftersales.customers import attestations
from aftersales.customers.attestations import AttestationChannel, AttestedStep
from aftersales.messaging import services as messaging
from aftersales.tickets import field_work
from aftersales.tickets.models import Ticket, ticket_number

LINK_LIFETIMES = {
    AttestedStep.ACCEPT_QUOTE: timedelta(days=3),
    AttestedStep.CONFIRM_ARRIVAL: timedelta(days=1),
    AttestedStep.CONFIRM_COMPLETION: timedelta(days=7),
}
MESSAGE_TEMPLATES = {
    AttestedStep.ACCEPT_QUOTE: "quote_to_accept",
    AttestedStep.CONFIRM_ARRIVAL: "arrival_to_confirm",
    AttestedStep.CONFIRM_COMPLETION: "completion_to_confirm",
}
ASKED_STEPS = tuple(LINK_LIFETIMES)
FINISHED = ("resolved", "closed")


def quote(session: Session, ticket: Ticket, amount_fen: int, actor: User) -> Ticket:
    """The technician's quote, and the link for the customer to accept it."""
    field_work.quote(session, ticket, amount_fen, actor)
    ask(session, ticket, AttestedStep.ACCEPT_QUOTE)
    return ticket


def asked_after_move(session: Session, ticket: Ticket, at: datetime) -> None:
    """Arrived: ask the customer to confirm it; done: ask them to confirm and rate it."""
    if ticket.state == "on_site":
        ask(session, ticket, AttestedStep.CONFIRM_ARRIVAL, at=at)
    elif ticket.state == "resolved":
        ask(session, ticket, AttestedStep.CONFIRM_COMPLETION, at=at)


def askable_now(ticket: Ticket) -> list[str]:
    """The steps the customer can confirm at this moment (what they confirm must be so)."""
    steps = []
    if ticket.quote_fen is not None and ticket.quote_accepted_at is None \
            and ticket.state not in (*FINISHED, "cancelled"):
        steps.append(AttestedStep.ACCEPT_QUOTE)
    if ticket.arrived_at is not None and ticket.state not in (*FINISHED, "cancelled"):
        steps.append(AttestedStep.CONFIRM_ARRIVAL)
    if ticket.state in FINISHED:
        steps.append(AttestedStep.CONFIRM_COMPLETION)
    return steps


def share(session: Session, ticket: Ticket, step: str) -> str:
    """A link the technician shows the customer (QR code) or sends them in WeChat."""
    if step not in askable_now(ticket):
        raise Conflict(_l("The customer cannot confirm this now."), field="step")
    return ask(session, ticket, step, AttestationChannel.SHARED_LINK)


def ask(session: Session, ticket: Ticket, step: str,
        channel: str = AttestationChannel.SMS_LINK, at: datetime | None = None) -> str | None:
    """A new one-time link for the step, sent to the customer's phone when the channel is
    SMS; its address (a shared link is shown to the technician to pass on). A step
    recorded so late that its link would have expired already asks nothing."""
    at = at or utcnow()
    if at + LINK_LIFETIMES[step] <= utcnow():
        return None
    token = attestations.issue_link(
        session, step=step, record_type="ticket", record_id=ticket.id,
        customer_id=ticket.customer_id, channel=channel, lifetime=LINK_LIFETIMES[step],
        amount_fen=ticket.quote_fen if step == AttestedStep.ACCEPT_QUOTE else None, now=at)
    address = attestations.link_address(token)
    if channel == AttestationChannel.SMS_LINK:
        messaging.send(session, template=MESSAGE_TEMPLATES[step], channel="sms",
                       essential=True, customer_id=ticket.customer_id,
                       values=_message_values(session, ticket, address))
    return address


def _message_values(session: Session, ticket: Ticket, address: str) -> dict:
    technician = session.get(User, ticket.technician_id) if ticket.technician_id else None
    return {"number": ticket_number(ticket.id), "link": address,
            "amount": f"{Decimal(ticket.quote_fen or 0) / 100:.2f}",
            "engineer": technician.display_name if technician else ""}


@dataclass(frozen=True)
class Confirmable:
    """What a link asks the customer to confirm, to draw its page."""

    step: str
    ticket: Ticket
    expires_at: datetime
    amount_fen: int | None
    technician_name: str


def confirmable(session: Session, link) -> Confirmable:
    """The step a work order's link asks for (the link already checked usable)."""
    if link.record_type != "ticket" or link.step not in LINK_LIFETIMES:
        raise attestations.LinkRefused("elsewhere")
    ticket = session.get(Ticket, link.record_id)
    technician = session.get(User, ticket.technician_id) if ticket.technician_id else None
    return Confirmable(link.step, ticket, link.expires_at, link.amount_fen,
                       technician.display_name if technician else "")


def confirm(session: Session, token: str, *, step: str, ticket_id: int, user_agent: str,
            rating: int | None = None, at: datetime | None = None) -> attestations.CustomerAct:
    """The customer's confirmation through a link: the link is spent and the act stored in
    the caller's transaction, or nothing changes and the refusal says why."""
    link = attestations.use_link(session, token, step=step, record_type="ticket",
                                 record_id=ticket_id, now=at)
    ticket = session.get(Ticket, ticket_id)
    _check_still_true(ticket, step, link.amount_fen)
    if step == AttestedStep.ACCEPT_QUOTE:
        field_work.accept_quote(session, ticket, now=at)
    act = _act(session, ticket, step, link.channel, user_agent, link.id, at=at)
    if step == AttestedStep.CONFIRM_COMPLETION and rating is not None:
        _act(session, ticket, AttestedStep.RATE_SERVICE, link.channel, user_agent, link.id,
             rating, at)
    return act


def accept_quote_on_portal(session: Session, ticket_id: int,
                           user_agent: str) -> attestations.CustomerAct:
    """The customer, who opened the work order with a one-time code, accepts its quote."""
    ticket = session.get(Ticket, ticket_id)
    _check_still_true(ticket, AttestedStep.ACCEPT_QUOTE, ticket.quote_fen)
    field_work.accept_quote(session, ticket)
    return _act(session, ticket, AttestedStep.ACCEPT_QUOTE, AttestationChannel.PORTAL_CODE,
                user_agent)


def record_tracking(session: Session, ticket_id: int, user_agent: str,
                    at: datetime | None = None) -> None:
    _act(session, session.get(Ticket, ticket_id), AttestedStep.TRACK,
         AttestationChannel.PORTAL_CODE, user_agent, at=at)


def _act(session, ticket, step, channel, user_agent, link_id=None, rating=None, at=None):
    return attestations.record_act(
        session, customer_id=ticket.customer_id, record_type="ticket", record_id=ticket.id,
        step=step, channel=channel, user_agent=user_agent, link_id=link_id, rating=rating,
        at=at)


def _check_still_true(ticket: Ticket, step: str, amount_fen: int | None) -> None:
    """What the customer confirms must still be so when they confirm it."""
    if step == AttestedStep.ACCEPT_QUOTE:
        if ticket.state in (*FINISHED, "cancelled"):
            raise Conflict(_l("The work is over; there is no quote to accept."))
        if ticket.quote_fen is None or ticket.quote_fen != amount_fen:
            raise Conflict(_l("The quote has changed since this link was sent: the new one "
                              "is on its way."))
        if ticket.quote_accepted_at is not None:
            raise Conflict(_l("This quote is accepted already."))
    elif step == AttestedStep.CONFIRM_ARRIVAL and ticket.arrived_at is None:
        raise Conflict(_l("The technician has not arrived yet."))
    elif step == AttestedStep.CONFIRM_COMPLETION and ticket.state not in FINISHED:
        raise Conflict(_l("The work is not finished yet."))
