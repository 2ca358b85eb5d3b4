"""Return visits: the queue, one call of a visit and the follow-up a dissatisfied
answer opens. Functions take a session and values, flush, and leave the commit to the
caller."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.core.audit import label_change
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.models import User
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope
from aftersales.customers import queries as customer_queries
from aftersales.customers import services as customer_services
from aftersales.outlets import services as outlet_services
from aftersales.tickets import queries as ticket_queries
from aftersales.tickets import services as ticket_services
from aftersales.tickets.labels import ticket_number
from aftersales.visits.models import (
    DISSATISFIED,
    MAX_ATTEMPTS,
    OUTCOMES,
    ReturnVisit,
    VisitState,
)

# The satisfaction survey (surveys.py), for the portal that takes the customer's answer.
from aftersales.visits.surveys import answer_survey as answer_survey
from aftersales.visits.surveys import survey_asked as survey_asked

MAX_COMMENT = 2000
FOLLOW_UP_LOCALE = "zh"  # follow-up work orders are written in the enterprise's language
SCORES = ("1", "2", "3", "4", "5")


def _scoped(stmt, scope: Scope | None):
    return outlet_services.in_scope(stmt, scope, ReturnVisit.outlet_id)


def get_visit(session: Session, visit_id: int, scope: Scope | None = None) -> ReturnVisit:
    visit = session.scalar(_scoped(select(ReturnVisit).where(ReturnVisit.id == visit_id), scope))
    if visit is None:
        raise NotFound(_l("No such return visit."))
    return visit


@dataclass(frozen=True)
class VisitFilters:
    state: str | None = None
    outlet_id: int | None = None
    visit_id: int | None = None


def list_visits(
    session: Session, scope: Scope, filters: VisitFilters, cursor: str | None, limit: int,
    newest_first: bool = False,
) -> Page:
    """Oldest sampled first (the order an agent works the queue in), or newest first."""
    stmt = _scoped(select(ReturnVisit), scope)
    if filters.state is not None:
        stmt = stmt.where(ReturnVisit.state == filters.state)
    if filters.outlet_id is not None:
        stmt = stmt.where(ReturnVisit.outlet_id == filters.outlet_id)
    if filters.visit_id is not None:
        stmt = stmt.where(ReturnVisit.id == filters.visit_id)
    return keyset_page(session, stmt, ReturnVisit.id, cursor, limit, newest_first=newest_first)


def due_count(session: Session, scope: Scope) -> int:
    """Return visits waiting for an agent's call, in one count."""
    stmt = _scoped(select(func.count()).select_from(ReturnVisit), scope)
    return session.scalar(stmt.where(ReturnVisit.state == VisitState.DUE))


@dataclass(frozen=True)
class VisitCase:
    """What the agent needs on the line: the work order and whom to call."""

    ticket_id: int
    number: str
    type: str
    description: str
    service_address: str
    closed_at: datetime | None
    customer_name: str
    customer_phone: str


def cases_of(session: Session, ticket_ids: Iterable[int]) -> dict[int, VisitCase]:
    """Work order and customer of a page of visits, in one query."""
    ids = set(ticket_ids)
    if not ids:
        return {}
    orders = ticket_queries.work_orders()
    contact = customer_queries.customer_contacts()
    rows = session.execute(
        select(
            orders.c.id, orders.c.type, orders.c.description, orders.c.service_address,
            orders.c.closed_at, contact.c.name, contact.c.phone,
        )
        .join(contact, contact.c.id == orders.c.customer_id)
        .where(orders.c.id.in_(ids))
    )
    return {
        row[0]: VisitCase(row[0], ticket_number(row[0]), *row[1:]) for row in rows
    }


def _satisfaction(outcome: str, satisfaction) -> int | None:
    if outcome != "reached":
        if satisfaction is not None:
            raise ValidationFailed(
                _l("Only a customer who was reached gives a score."), field="satisfaction"
            )
        return None
    if satisfaction is None or satisfaction == "":
        raise ValidationFailed(_l("Give the customer's score, 1 to 5."), field="satisfaction")
    if isinstance(satisfaction, bool) or str(satisfaction).strip() not in SCORES:
        raise ValidationFailed(_l("A score is 1 to 5."), field="satisfaction")
    return int(satisfaction)


def _follow_up(
    session: Session, actor: User | None, visit: ReturnVisit, score: int, comment: str,
    now: datetime,
):
    """A dissatisfied answer opens a work order for the same customer and unit."""
    original = ticket_services.get_ticket(session, visit.ticket_id)
    serial = (
        customer_services.get_serial(session, original.serial_id).serial
        if original.serial_id is not None
        else None
    )
    with force_locale(FOLLOW_UP_LOCALE):
        description = _(
            "Return visit of %(number)s: the customer is dissatisfied (%(score)d of 5).",
            number=original.number, score=score,
        )
        description += " " + (
            _("The customer said: “%(comment)s”", comment=comment)
            if comment
            else _("The customer left no comment.")
        )
    return ticket_services.open_ticket(
        session, actor,
        type=original.type,  # a repair is followed up by a repair, an installation by one
        priority="normal", customer_id=original.customer_id, description=description,
        service_address=original.service_address, serial=serial,
        product_id=original.product_id, outlet_id=original.outlet_id,
        received_at=now, now=now, channel=ticket_services.IntakeChannel.RETURN_VISIT,
    )


def record_visit(
    session: Session,
    visit: ReturnVisit,
    actor: User | None,
    outcome: str,
    satisfaction=None,
    comment: str | None = "",
    now: datetime | None = None,
) -> ReturnVisit:
    """One call of a return visit. Reached needs a score 1-5, and 1 or 2 opens a follow-up
    work order; not reached keeps the visit due until the third attempt; refused ends it.
    `now` is given only when replaying history (demo data)."""
    if visit.state != "due":
        raise Conflict(_l("This return visit is done already."), field="outcome")
    if outcome not in OUTCOMES:
        raise ValidationFailed(_l("Choose reached, not reached or refused."), field="outcome")
    score = _satisfaction(outcome, satisfaction)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(
            _l("At most %(count)d characters.", count=MAX_COMMENT), field="comment"
        )
    now = now or utcnow()
    if now < visit.sampled_at:
        raise ValidationFailed(_l("A call cannot precede the sampling."))
    # The follow-up first: opening it flushes, and the visit's change is then one entry.
    follow_up = (
        _follow_up(session, actor, visit, score, comment, now)
        if score is not None and score <= DISSATISFIED
        else None
    )
    with session.no_autoflush:
        visit.attempts += 1
        visit.called_at = now
        visit.called_by_id = actor.id if actor else None
        if comment:
            visit.comment = comment
        if outcome != "not_reached" or visit.attempts >= MAX_ATTEMPTS:
            visit.state, visit.outcome, visit.satisfaction = "done", outcome, score
        if follow_up is not None:
            visit.follow_up_ticket_id = follow_up.id
        label_change(session, visit, f"visit:{outcome}")
    session.flush()
    return visit

