"""The dispatch board: work orders waiting for a technician or at risk of missing their
clock, the technicians who could go, and a suggestion ranked by travel and load.

Everything the board shows is read in a handful of set-based queries (technicians, their
grants, load, certificates, last positions); the ranking itself is arithmetic in Python over
those few hundred rows, never a query per pair.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from aftersales.core.models import RoleGrant, User
from aftersales.core.permissions import Scope, scope_of
from aftersales.outlets import services as outlet_services
from aftersales.tickets import qualification, stamps
from aftersales.tickets.models import FINISHED_STATES, Ticket
from aftersales.tickets.services import scoped
from aftersales.training import services as training_services
from aftersales.training.services import CertificateView

LOAD_KM = 10.0  # one more open work order weighs like 10 km more of travel
UNKNOWN_DISTANCE_KM = 500.0  # no position known: ranked after anyone whose distance is known
FRESH_POSITION = timedelta(hours=12)  # an older GPS stamp says less than the home outlet
AT_RISK_WITHIN = timedelta(hours=1)
BOARD_LIMIT = 50
ACTIVE_STATES = ("assigned", "dispatched", "on_site")


@dataclass
class Technician:
    id: int
    name: str
    outlet_id: int | None
    outlet_name: str | None
    certificates: list[CertificateView] = field(default_factory=list)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    position_at: datetime | None = None
    position_source: str | None = None  # "gps" or "outlet"
    open_load: int = 0
    reach: Scope = field(default_factory=lambda: Scope(everywhere=False))  # tickets.work


@dataclass(frozen=True)
class Candidate:
    technician: Technician
    distance_km: float | None
    missing: list[str]
    score: float

    @property
    def qualified(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Board:
    unassigned: list[Ticket]
    at_risk: list[Ticket]
    technicians: list[Technician]


def _technician_rows(session: Session, scope: Scope,
                     serving: frozenset[int] | None) -> list[tuple[User, int | None]]:
    stmt = (
        select(User, RoleGrant.outlet_id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "technician", User.is_enabled)
        .order_by(User.display_name, User.id)
    )
    allowed = scope.condition(RoleGrant.outlet_id, outlet_services.region_of(RoleGrant.outlet_id))
    if allowed is not None:
        stmt = stmt.where(allowed)
    if serving is not None:
        stmt = stmt.where(_may_work_at(session, serving))
    return [(user, outlet_id) for user, outlet_id in session.execute(stmt)]


def _may_work_at(session: Session, outlet_ids: frozenset[int]):
    """Technicians whose grants reach one of these outlets: granted it, its region, or
    the whole company."""
    regions = {outlet.region_code for outlet
               in outlet_services.outlets_by_id(session, outlet_ids).values()}
    grant = aliased(RoleGrant)
    return exists().where(
        grant.user_id == User.id, grant.role == "technician",
        or_(grant.outlet_id.in_(outlet_ids), grant.region_code.in_(regions),
            and_(grant.outlet_id.is_(None), grant.region_code.is_(None))))


def _open_load(session: Session, technician_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Ticket.technician_id, func.count(Ticket.id))
        .where(Ticket.technician_id.in_(technician_ids), Ticket.state.not_in(FINISHED_STATES))
        .group_by(Ticket.technician_id)
    )
    return dict(rows.all())


def technicians(session: Session, scope: Scope, now: datetime, today: date,
                serving: frozenset[int] | None = None) -> list[Technician]:
    """The technicians a dispatcher of this scope may send (of them, those who may work at
    the `serving` outlets, when given), with what ranking needs."""
    found: dict[int, Technician] = {}
    for user, outlet_id in _technician_rows(session, scope, serving):
        found.setdefault(user.id, Technician(user.id, user.display_name, outlet_id, None,
                                             reach=scope_of(user, "tickets.work")))
    ids = list(found)
    if not ids:
        return []
    outlets = outlet_services.outlets_by_id(session, (t.outlet_id for t in found.values()))
    load = _open_load(session, ids)
    certificates = training_services.certificates_by_user(session, ids, today)
    positions = stamps.last_positions(session, ids)
    for technician in found.values():
        technician.open_load = load.get(technician.id, 0)
        technician.certificates = certificates.get(technician.id, [])
        outlet = outlets.get(technician.outlet_id)
        technician.outlet_name = outlet.name if outlet else None
        _place(technician, positions.get(technician.id), outlet, now)
    return list(found.values())


def _place(technician: Technician, position, outlet, now: datetime) -> None:
    """Where the technician probably is: a recent GPS stamp, else their home outlet."""
    if position is not None and now - position.at <= FRESH_POSITION:
        technician.latitude, technician.longitude = position.latitude, position.longitude
        technician.position_at, technician.position_source = position.at, "gps"
    elif outlet is not None:
        technician.latitude, technician.longitude = outlet.latitude, outlet.longitude
        technician.position_source = "outlet"
        technician.position_at = position.at if position is not None else None


def _distance_km(technician: Technician, ticket: Ticket) -> float | None:
    from geopy.distance import geodesic  # with requests: not at start

    if technician.latitude is None or ticket.service_latitude is None:
        return None
    return geodesic(
        (technician.latitude, technician.longitude),
        (ticket.service_latitude, ticket.service_longitude),
    ).km


def suggest(session: Session, ticket: Ticket, crew: list[Technician]) -> list[Candidate]:
    return suggestions(session, [ticket], crew)[ticket.id]


def suggestions(session: Session, tickets: list[Ticket],
                crew: list[Technician]) -> dict[int, list[Candidate]]:
    """For each order, the technicians who work for its outlet (only they could open it),
    qualified ones first, each group nearest-and-least-busy first. A few queries for a
    whole board, not a few per order."""
    required = qualification.requirements(session, tickets)
    outlets = outlet_services.outlets_by_id(session, (ticket.outlet_id for ticket in tickets))
    return {ticket.id: _ranked(ticket, crew, required[ticket.id],
                               getattr(outlets.get(ticket.outlet_id), "region_code", None))
            for ticket in tickets}


def _ranked(ticket: Ticket, crew: list[Technician], required: set[str],
            region: str | None) -> list[Candidate]:
    candidates = []
    for technician in crew:
        if not technician.reach.allows(ticket.outlet_id, region):
            continue
        held = {certificate.type for certificate in technician.certificates}
        distance = _distance_km(technician, ticket)
        score = (UNKNOWN_DISTANCE_KM if distance is None else distance) + (
            LOAD_KM * technician.open_load
        )
        candidates.append(Candidate(technician, distance, sorted(required - held), score))
    return sorted(candidates, key=lambda c: (not c.qualified, c.score, c.technician.name))


def board(session: Session, scope: Scope, now: datetime, today: date) -> Board:
    unassigned = scoped(select(Ticket).where(Ticket.state == "new"), scope)
    soon = now + AT_RISK_WITHIN
    at_risk = scoped(
        select(Ticket).where(
            Ticket.state.in_(ACTIVE_STATES),  # IN, not NOT IN: the state index finds them
            or_(
                (Ticket.responded_at.is_(None)) & (Ticket.response_due_at < soon),
                (Ticket.arrived_at.is_(None)) & (Ticket.arrival_due_at < soon),
                Ticket.resolution_due_at < soon,
            ),
        ),
        scope,
    )
    emergency_first = (Ticket.priority == "emergency").desc()
    waiting = list(session.scalars(
        unassigned.order_by(emergency_first, Ticket.response_due_at).limit(BOARD_LIMIT)))
    risky = list(session.scalars(
        at_risk.order_by(emergency_first, Ticket.resolution_due_at).limit(BOARD_LIMIT)))
    return Board(unassigned=waiting, at_risk=risky, technicians=technicians(
        session, scope, now, today, serving=_serving(scope, waiting + risky)))


def _serving(scope: Scope, shown: list[Ticket]) -> frozenset[int] | None:
    """Whose crews the board lists: a dispatcher of some outlets, all of theirs (None); one
    who dispatches for a region or the whole company, the technicians who may work at the
    outlets whose orders are on the board (the only ones who could take them), not every
    technician there is."""
    if not scope.everywhere and not scope.region_codes:
        return None
    return frozenset(ticket.outlet_id for ticket in shown if ticket.outlet_id is not None)
