"""Complaints read as sets: lists and queues, the handlers' breach counts, the archive
check of closed complaints (clause 5.3.2.1) and whose customers complaints link to a scope.
One query per page, scoped to the reader's outlets."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import Session

from aftersales.complaints.models import (
    OPEN_STATES,
    Complaint,
    ComplaintAttachment,
)
from aftersales.complaints.services import scoped
from aftersales.core.models import RoleGrant, User
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope
from aftersales.customers import visibility as customer_visibility
from aftersales.outlets import services as outlet_services

# ---------------------------------------------------------------- archive completeness

ARCHIVE_PARTS = ("record", "response", "resolution", "confirmation", "attachments")


def archive_conditions():
    """Each required part of a closed complaint's archive (clause 5.3.2.1) as SQL."""
    has_attachment = exists().where(ComplaintAttachment.complaint_id == Complaint.id)
    return {
        "record": and_(Complaint.received_by_id.is_not(None), Complaint.description != ""),
        "response": and_(Complaint.acknowledged_at.is_not(None),
                         Complaint.acknowledgement.is_not(None)),
        "resolution": and_(Complaint.resolved_at.is_not(None), Complaint.resolution.is_not(None),
                           Complaint.root_cause.is_not(None)),
        "confirmation": Complaint.customer_confirmed_at.is_not(None),
        "attachments": has_attachment,
    }


def archive_gaps_of(session: Session, complaint_id: int) -> list[str]:
    conditions = archive_conditions()
    row = session.execute(
        select(*(condition.label(part) for part, condition in conditions.items()))
        .where(Complaint.id == complaint_id)
    ).one()
    return [part for part in ARCHIVE_PARTS if not getattr(row, part)]


@dataclass(frozen=True)
class ArchiveGap:
    complaint: Complaint
    missing: list[str]


def archive_gaps(session: Session, scope: Scope, cursor: str | None, limit: int
                 ) -> tuple[Page, list[ArchiveGap]]:
    """Closed complaints missing a required part, newest first, with what is missing."""
    conditions = archive_conditions()
    incomplete = ~and_(*conditions.values())
    stmt = scoped(select(Complaint).where(Complaint.state == "closed", incomplete), scope)
    page = keyset_page(session, stmt, Complaint.id, cursor, limit)
    ids = [complaint.id for complaint in page.items]
    if not ids:
        return page, []
    rows = session.execute(
        select(Complaint.id, *(c.label(part) for part, c in conditions.items()))
        .where(Complaint.id.in_(ids))
    )
    missing = {row.id: [p for p in ARCHIVE_PARTS if not getattr(row, p)] for row in rows}
    return page, [ArchiveGap(c, missing[c.id]) for c in page.items]


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class Filters:
    state: str | None = None
    category: str | None = None
    severity: str | None = None
    channel: str | None = None
    outlet_id: int | None = None
    customer_id: int | None = None
    handler_id: int | None = None


def list_complaints(session: Session, scope: Scope, filters: Filters, cursor: str | None,
                    limit: int) -> Page:
    stmt = scoped(select(Complaint), scope)
    for column, value in (
        (Complaint.state, filters.state),
        (Complaint.category, filters.category),
        (Complaint.severity, filters.severity),
        (Complaint.channel, filters.channel),
        (Complaint.outlet_id, filters.outlet_id),
        (Complaint.customer_id, filters.customer_id),
        (Complaint.handler_id, filters.handler_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    return keyset_page(session, stmt, Complaint.id, cursor, limit)


def queue(session: Session, scope: Scope, handler_id: int | None = None,
          limit: int = 200) -> list[Complaint]:
    """Open complaints, the nearest breach first (overdue ones on top); waiting ones, whose
    clocks stand still, last."""
    stmt = scoped(select(Complaint).where(Complaint.state.in_(OPEN_STATES)), scope)
    if handler_id is not None:
        stmt = stmt.where(Complaint.handler_id == handler_id)
    stmt = stmt.order_by(Complaint.next_due_at.is_(None), Complaint.next_due_at, Complaint.id)
    return list(session.scalars(stmt.limit(limit)))


def breach_counts(session: Session, scope: Scope, now: datetime, soon: timedelta
                  ) -> tuple[int, int]:
    """Open complaints past their next deadline, and those due within `soon`."""
    row = session.execute(scoped(
        select(func.count(case((Complaint.next_due_at < now, 1))),
               func.count(case((Complaint.next_due_at.between(now, now + soon), 1))))
        .select_from(Complaint).where(Complaint.state.in_(OPEN_STATES)), scope,
    )).one()
    return row[0], row[1]


def complaint_handlers(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(User.id, User.display_name)
        .where(User.is_enabled,
               User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == "complaint_handler")))
        .order_by(User.display_name)
    )
    return [tuple(row) for row in rows]


def earlier_complaints(session: Session, complaint: Complaint, limit: int = 10
                       ) -> list[Complaint]:
    """The same customer's other complaints: a repeat complaint is a warning sign."""
    return list(
        session.scalars(
            select(Complaint)
            .where(Complaint.customer_id == complaint.customer_id, Complaint.id != complaint.id)
            .order_by(Complaint.received_at.desc())
            .limit(limit)
        )
    )


# ---------------------------------------------------------------- whose customers


@customer_visibility.linked_by_scope
def customers_with_complaints_in(scope: Scope) -> Select:
    """Customers with a complaint about an outlet inside `scope`."""
    return outlet_services.in_scope(select(Complaint.customer_id), scope, Complaint.outlet_id)
