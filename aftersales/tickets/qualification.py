"""The certificate gate: a work order goes only to a technician who holds, in force, every
certificate the qualification rules (kept by the training module) require for its product
category and type of work. A manager may override, with a reason, and the override is kept."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core.errors import Conflict, PermissionDenied
from aftersales.core.models import User
from aftersales.customers import services as customer_services
from aftersales.tickets.models import DispatchOverride, Ticket
from aftersales.training import services as training_services
from aftersales.training.labels import CERTIFICATES


def product_category(session: Session, ticket: Ticket) -> str | None:
    if ticket.product_id is None:
        return None
    return customer_services.get_product(session, ticket.product_id).category


def requirements(session: Session, tickets: list[Ticket]) -> dict[int, set[str]]:
    """What each of these orders requires: products in one query, the rules once for each
    kind of work among them (a board of 50 orders holds a few kinds)."""
    categories = customer_services.categories_of(
        session, {ticket.product_id for ticket in tickets if ticket.product_id is not None})
    by_kind: dict[tuple, set[str]] = {}
    found = {}
    for ticket in tickets:
        kind = (categories.get(ticket.product_id), ticket.type)
        if kind not in by_kind:
            by_kind[kind] = set(training_services.required_certificates(session, *kind))
        found[ticket.id] = by_kind[kind]
    return found


def certificate_names(types: list[str]) -> str:
    return "、".join(str(CERTIFICATES.get(code, code)) for code in types)


def check(
    session: Session, ticket: Ticket, technician_id: int, override_reason: str | None,
    may_override: bool, actor: User | None, on: date,
) -> None:
    """Refuse an unqualified technician, unless a manager overrides with a reason (kept)."""
    missing = training_services.missing_certificates(
        session, user_id=technician_id, product_category=product_category(session, ticket),
        work_type=ticket.type, on=on,
    )
    if not missing:
        return
    reason = (override_reason or "").strip()
    if not reason:
        name = core_services.display_names(session, {technician_id}).get(technician_id, "")
        raise Conflict(
            _l("%(name)s holds no valid %(certificates)s, which this work requires. A manager "
               "may override with a reason.", name=name, certificates=certificate_names(missing)),
            field="technician_id",
        )
    if not may_override:
        raise PermissionDenied(
            _l("Only a manager may send a technician without the required certificate."),
            field="override_reason",
        )
    session.add(DispatchOverride(
        ticket_id=ticket.id, technician_id=technician_id, missing=",".join(missing),
        reason=reason[:500], decided_by_id=actor.id if actor else None,
    ))
