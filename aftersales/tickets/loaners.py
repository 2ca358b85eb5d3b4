"""Loaners: an outlet's spare units, lent to a customer while their own is in a long repair.

A unit is lent by one conditional UPDATE (available -> lent), so two desks cannot lend the
same unit; a work order holds at most one loan at a time and closes only after the unit
came back.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import User
from aftersales.core.permissions import Scope
from aftersales.customers import services as customer_services
from aftersales.outlets import services as outlet_services
from aftersales.tickets.models import FINISHED_STATES, Loaner, LoanerLoan, Ticket

MAX_LOAN_DAYS = 90


def register_loaner(
    session: Session, scope: Scope, outlet_id: int, asset_tag: str, description: str,
    category: str | None,
) -> Loaner:
    asset_tag, description = asset_tag.strip(), description.strip()
    if not asset_tag:
        raise ValidationFailed(_l("Give the unit's asset tag."), field="asset_tag")
    if not description:
        raise ValidationFailed(_l("Say what the unit is."), field="description")
    outlet = outlet_services.get_outlet(session, outlet_id)
    if not scope.allows(outlet.id, outlet.region_code):
        raise PermissionDenied(_l("This outlet is outside your area."), field="outlet_id")
    if session.scalar(select(Loaner.id).where(Loaner.asset_tag == asset_tag)) is not None:
        raise Conflict(_l("Another loaner has this asset tag."), field="asset_tag")
    loaner = Loaner(outlet_id=outlet_id, asset_tag=asset_tag, description=description,
                    category=(category or "").strip() or None)
    session.add(loaner)
    session.flush()
    return loaner


def shelf_for(session: Session, ticket: Ticket) -> list[Loaner]:
    """Units on the work order's outlet shelf, those of its product's category first."""
    if ticket.outlet_id is None:
        return []
    category = (
        customer_services.get_product(session, ticket.product_id).category
        if ticket.product_id else None
    )
    return list(
        session.scalars(
            select(Loaner)
            .where(Loaner.outlet_id == ticket.outlet_id, Loaner.state == "available")
            .order_by((Loaner.category == category).desc(), Loaner.asset_tag)
        )
    )


def outlet_loaners(session: Session, outlet_id: int, scope: Scope) -> list[Loaner]:
    stmt = select(Loaner).where(Loaner.outlet_id == outlet_id).order_by(Loaner.asset_tag)
    allowed = scope.condition(Loaner.outlet_id, outlet_services.region_of(Loaner.outlet_id))
    if allowed is not None:
        stmt = stmt.where(allowed)
    return list(session.scalars(stmt))


def open_loan(session: Session, ticket_id: int) -> LoanerLoan | None:
    return session.scalar(
        select(LoanerLoan).where(LoanerLoan.ticket_id == ticket_id,
                                 LoanerLoan.returned_at.is_(None))
    )


def _due_back(due_on: date, now: datetime) -> datetime:
    today = now.astimezone(DEFAULT_ZONE).date()
    if due_on < today:
        raise ValidationFailed(_l("The unit cannot be due back in the past."), "due_back_on")
    if due_on > today + timedelta(days=MAX_LOAN_DAYS):
        raise ValidationFailed(
            _l("Lend for at most %(days)d days.", days=MAX_LOAN_DAYS), "due_back_on"
        )
    return datetime.combine(due_on, time(18, 0), DEFAULT_ZONE)


def lend(
    session: Session, ticket: Ticket, loaner_id: int, due_on: date, actor: User | None,
    now: datetime | None = None,
) -> LoanerLoan:
    now = now or utcnow()
    if ticket.state in FINISHED_STATES:
        raise Conflict(_l("The work is over; a loaner is lent during the repair."), "loaner_id")
    if open_loan(session, ticket.id) is not None:
        raise Conflict(_l("This work order has a loaner out already."), field="loaner_id")
    due_back_at = _due_back(due_on, now)
    loaner = session.get(Loaner, loaner_id)
    if loaner is None or loaner.outlet_id != ticket.outlet_id:
        raise NotFound(_l("No such loaner at this work order's outlet."), field="loaner_id")
    taken = session.execute(
        update(Loaner)
        .where(Loaner.id == loaner.id, Loaner.state == "available")
        .values(state="lent")
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise Conflict(_l("This loaner is not on the shelf."), field="loaner_id")
    session.refresh(loaner)
    loan = LoanerLoan(loaner_id=loaner.id, ticket_id=ticket.id, lent_at=now,
                      due_back_at=due_back_at, lent_by_id=actor.id if actor else None)
    session.add(loan)
    session.flush()
    return loan


def take_back(
    session: Session, ticket: Ticket, condition: str, now: datetime | None = None
) -> LoanerLoan:
    loan = open_loan(session, ticket.id)
    if loan is None:
        raise Conflict(_l("No loaner is out for this work order."), field="condition")
    loan.returned_at = now or utcnow()
    loan.returned_condition = condition.strip()[:200] or None
    session.get(Loaner, loan.loaner_id).state = "available"
    session.flush()
    return loan


def loans_of(session: Session, ticket_id: int) -> list[tuple[LoanerLoan, Loaner]]:
    return loans_by_ticket(session, [ticket_id]).get(ticket_id, [])


def loans_by_ticket(session: Session, ticket_ids: list[int]
                    ) -> dict[int, list[tuple[LoanerLoan, Loaner]]]:
    """Each of these work orders' loans with the loaner lent, oldest first, in one query."""
    loans: dict[int, list[tuple[LoanerLoan, Loaner]]] = defaultdict(list)
    if ticket_ids:
        for loan, unit in session.execute(
                select(LoanerLoan, Loaner).join(Loaner, Loaner.id == LoanerLoan.loaner_id)
                .where(LoanerLoan.ticket_id.in_(ticket_ids)).order_by(LoanerLoan.id)):
            loans[loan.ticket_id].append((loan, unit))
    return loans
