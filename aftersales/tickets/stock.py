"""The spare-parts ledger of each outlet (GB/T 27922 5.1.3.3, 5.2.4.5): parts received,
used on work orders, returned unused, transferred between outlets and sent back to the
supplier faulty. Each movement changes the quantity on hand with one conditional UPDATE
(never below zero, even when two people take the last one at once) and is booked with the
balance after it, in the same transaction."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, aliased

from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.models import User
from aftersales.core.pagination import Page, decode_cursor, encode_cursor
from aftersales.core.permissions import Scope
from aftersales.core.sql import insert_unless_present
from aftersales.customers import queries as customer_queries
from aftersales.customers import services as customer_services
from aftersales.outlets import queries as outlet_queries
from aftersales.outlets import services as outlet_services
from aftersales.tickets.models import (
    MovementKind,
    StockLevel,
    StockMovement,
    Ticket,
    TicketPart,
    ticket_number,
)


def outlet_in_scope(session: Session, outlet_id: int, scope: Scope | None,
                    field: str = "outlet_id"):
    """The outlet, if `scope` reaches it; another outlet answers as if it did not exist."""
    try:
        return outlet_services.get_outlet(session, outlet_id, scope)
    except NotFound as missing:
        raise NotFound(_l("No such outlet."), field=field) from missing


def receive_stock(
    session: Session, outlet_id: int, part_id: int, quantity: int, actor: User | None,
    scope: Scope | None = None, note: str | None = None, now: datetime | None = None,
) -> int:
    """Book parts into an outlet's stock (one inside `scope`); the new quantity on hand."""
    _ensure_positive(quantity, _l("Receive at least one."))
    outlet_in_scope(session, outlet_id, scope)
    customer_services.get_part(session, part_id)
    balance = _put(session, outlet_id, part_id, quantity)
    _book(session, MovementKind.RECEIPT, outlet_id, part_id, quantity, balance, actor,
          note=note, at=now)
    return balance


def transfer(
    session: Session, from_outlet_id: int, to_outlet_id: int, part_id: int, quantity: int,
    actor: User | None, scope: Scope | None = None, note: str | None = None,
) -> tuple[StockMovement, StockMovement]:
    """Move parts from one outlet's stock to another's, both inside `scope`: the movement
    out and the movement in, the second naming the first."""
    _ensure_positive(quantity, _l("Transfer at least one."))
    outlet_in_scope(session, from_outlet_id, scope, field="from_outlet_id")
    outlet_in_scope(session, to_outlet_id, scope, field="to_outlet_id")
    if from_outlet_id == to_outlet_id:
        raise ValidationFailed(_l("Choose another outlet to transfer to."), field="to_outlet_id")
    customer_services.get_part(session, part_id)
    left = _take(session, from_outlet_id, part_id, quantity)
    out = _book(session, MovementKind.TRANSFER_OUT, from_outlet_id, part_id, -quantity, left,
                actor, note=note)
    arrived = _put(session, to_outlet_id, part_id, quantity)
    into = _book(session, MovementKind.TRANSFER_IN, to_outlet_id, part_id, quantity, arrived,
                 actor, note=note, linked_id=out.id)
    return out, into


def return_to_supplier(
    session: Session, outlet_id: int, part_id: int, quantity: int, reason: str,
    actor: User | None, scope: Scope | None = None,
) -> StockMovement:
    """Faulty parts out of an outlet's stock, back to the supplier, with why."""
    _ensure_positive(quantity, _l("Send back at least one."))
    if not reason.strip():
        raise ValidationFailed(_l("Say what is wrong with them."), field="reason")
    outlet_in_scope(session, outlet_id, scope)
    customer_services.get_part(session, part_id)
    left = _take(session, outlet_id, part_id, quantity)
    return _book(session, MovementKind.SUPPLIER_RETURN, outlet_id, part_id, -quantity, left,
                 actor, note=reason.strip())


def take_for_work(session: Session, ticket: Ticket, part_id: int, quantity: int,
                  actor: User | None, now: datetime | None = None) -> StockMovement:
    """Parts out of the work order's outlet, for it."""
    left = _take(session, ticket.outlet_id, part_id, quantity)
    return _book(session, MovementKind.USE, ticket.outlet_id, part_id, -quantity, left, actor,
                 ticket_id=ticket.id, at=now)


def return_from_work(
    session: Session, ticket: Ticket, usage_id: int, quantity: int, actor: User | None,
    note: str | None = None, now: datetime | None = None,
) -> TicketPart:
    """Parts taken for a work order and not fitted, back into its outlet's stock: never
    more than were taken on that line (one conditional UPDATE), and no longer charged."""
    _ensure_positive(quantity, _l("Return at least one."))
    usage = session.scalar(select(TicketPart).where(TicketPart.id == usage_id,
                                                    TicketPart.ticket_id == ticket.id))
    if usage is None:
        raise NotFound(_l("No such part on this work order."), field="usage_id")
    if ticket.state == "closed" or ticket.outlet_id is None:
        raise Conflict(_l("The work order is closed; its parts stay as recorded."), "quantity")
    counted_back = session.execute(
        update(TicketPart)
        .where(TicketPart.id == usage.id,
               TicketPart.quantity - TicketPart.returned >= quantity)
        .values(returned=TicketPart.returned + quantity)
        .execution_options(synchronize_session=False)
    )
    if counted_back.rowcount != 1:
        session.refresh(usage)
        raise Conflict(_l("Only %(count)d of them can go back.", count=usage.kept),
                       field="quantity")
    balance = _put(session, ticket.outlet_id, usage.part_id, quantity)
    _book(session, MovementKind.WORK_RETURN, ticket.outlet_id, usage.part_id, quantity,
          balance, actor, ticket_id=ticket.id, note=note, at=now)
    session.refresh(usage)
    return usage


def stock_on_hand(session: Session, outlet_id: int, part_id: int) -> int:
    on_hand = session.scalar(
        select(StockLevel.on_hand).where(
            StockLevel.outlet_id == outlet_id, StockLevel.part_id == part_id
        )
    )
    return on_hand or 0


def _ensure_positive(quantity: int, message) -> None:
    if quantity <= 0:
        raise ValidationFailed(message, field="quantity")


def _put(session: Session, outlet_id: int, part_id: int, quantity: int) -> int:
    """Add to the quantity on hand; the balance after."""
    # The first receipt of a part at an outlet makes its row; two at once must not both try
    # (the second would fail on the key): the later one finds the row and adds to it.
    session.execute(insert_unless_present(session, StockLevel, "outlet_id", "part_id")
                    .values(outlet_id=outlet_id, part_id=part_id, on_hand=0))
    session.execute(
        update(StockLevel)
        .where(StockLevel.outlet_id == outlet_id, StockLevel.part_id == part_id)
        .values(on_hand=StockLevel.on_hand + quantity)
        .execution_options(synchronize_session=False)
    )
    return stock_on_hand(session, outlet_id, part_id)


def _take(session: Session, outlet_id: int, part_id: int, quantity: int) -> int:
    """Take from the quantity on hand, only if that many are there; the balance after."""
    taken = session.execute(
        update(StockLevel)
        .where(
            StockLevel.outlet_id == outlet_id,
            StockLevel.part_id == part_id,
            StockLevel.on_hand >= quantity,
        )
        .values(on_hand=StockLevel.on_hand - quantity)
        .execution_options(synchronize_session=False)
    )
    on_hand = stock_on_hand(session, outlet_id, part_id)
    if taken.rowcount != 1:
        raise Conflict(
            _l("Only %(count)d in stock at this outlet.", count=on_hand), field="quantity"
        )
    return on_hand


def _book(session: Session, kind: MovementKind, outlet_id: int, part_id: int, quantity: int,
          balance: int, actor: User | None, *, ticket_id: int | None = None,
          note: str | None = None, linked_id: int | None = None,
          at: datetime | None = None) -> StockMovement:
    movement = StockMovement(
        kind=kind, outlet_id=outlet_id, part_id=part_id, quantity=quantity,
        balance_after=balance, note=note or None, ticket_id=ticket_id, linked_id=linked_id,
        actor_id=actor.id if actor else None, at=at or utcnow(),
    )
    session.add(movement)
    session.flush()
    return movement


def part_choices(session: Session) -> list[tuple[int, str, str]]:
    """(id, part number, name) of every spare part, by number, for the receipt form."""
    parts = customer_queries.part_labels()
    return [tuple(row) for row in session.execute(
        select(parts.c.id, parts.c.code, parts.c.name).order_by(parts.c.code))]


@dataclass(frozen=True)
class Holding:
    """One part on hand at an outlet, as the stock page lists it."""

    part_id: int
    part_code: str
    part_name: str
    on_hand: int
    last_moved_at: datetime | None


def holdings(session: Session, outlet_id: int, scope: Scope | None) -> list[Holding]:
    """The parts an outlet (inside `scope`) has had in stock, by part number: one query."""
    outlet_in_scope(session, outlet_id, scope)
    parts = customer_queries.part_labels()
    last_moved = (
        select(func.max(StockMovement.at))
        .where(StockMovement.outlet_id == StockLevel.outlet_id,
               StockMovement.part_id == StockLevel.part_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(StockLevel.part_id, parts.c.code, parts.c.name, StockLevel.on_hand, last_moved)
        .join(parts, parts.c.id == StockLevel.part_id)
        .where(StockLevel.outlet_id == outlet_id)
        .order_by(parts.c.code)
    )
    return [Holding(*row) for row in rows]


@dataclass(frozen=True)
class LedgerLine:
    """One movement as the ledger shows it: named as people name things."""

    id: int
    at: datetime
    kind: str
    part_id: int
    part_code: str
    part_name: str
    quantity: int
    balance_after: int
    ticket_id: int | None
    actor_name: str | None
    note: str | None
    other_outlet_name: str | None

    @property
    def ticket_number(self) -> str | None:
        return ticket_number(self.ticket_id) if self.ticket_id else None


def ledger(
    session: Session, outlet_id: int, scope: Scope | None, part_id: int | None,
    cursor: str | None, limit: int,
) -> Page:
    """An outlet's movements (of one part, or all), newest first, a page at a time: one
    query, whatever the page's size."""
    outlet_in_scope(session, outlet_id, scope)
    parts = customer_queries.part_labels()
    outlets = outlet_queries.outlet_labels()
    other = aliased(StockMovement)
    stmt = (
        select(StockMovement.id, StockMovement.at, StockMovement.kind, StockMovement.part_id,
               parts.c.code, parts.c.name, StockMovement.quantity,
               StockMovement.balance_after, StockMovement.ticket_id, User.display_name,
               StockMovement.note, outlets.c.name)
        .join(parts, parts.c.id == StockMovement.part_id)
        .outerjoin(User, User.id == StockMovement.actor_id)
        .outerjoin(other, or_(other.id == StockMovement.linked_id,
                              other.linked_id == StockMovement.id))
        .outerjoin(outlets, outlets.c.id == other.outlet_id)
        .where(StockMovement.outlet_id == outlet_id)
    )
    if part_id is not None:
        stmt = stmt.where(StockMovement.part_id == part_id)
    if cursor is not None:
        stmt = stmt.where(StockMovement.id < decode_cursor(cursor))
    rows = session.execute(stmt.order_by(StockMovement.id.desc()).limit(limit + 1)).all()
    lines = [LedgerLine(*row) for row in rows[:limit]]
    return Page(lines, encode_cursor(lines[-1].id) if len(rows) > limit else None)
