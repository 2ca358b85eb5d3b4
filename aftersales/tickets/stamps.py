"""GPS stamps: the technician's depart / arrive / finish, with where and when, checked
against the service location, the technician's previous stamp and the server's clock.

Nothing sent is silently dropped: a stamp is stored with its flags (off site, impossible
speed, clock skew, late) even when the work-order step it asks for is refused; only a
stamp whose coordinates cannot be a position on Earth is refused, with the field and why.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from aftersales.core import geo
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from aftersales.core.models import User
from aftersales.core.sql import insert_unless_present
from aftersales.tickets import services, settings
from aftersales.tickets.labels import STATE_LABELS
from aftersales.tickets.models import FINISHED_STATES, StampKind, Ticket, TicketStamp

MAX_ACCURACY_M = 5000  # coarser than this proves nothing about where the phone is
MAX_SPEED_KMH = 200
CLOCK_TOLERANCE = timedelta(minutes=5)
# The steps each kind of stamp takes, from the states it may start in.
STEPS: dict[str, dict[str, tuple[str, ...]]] = {
    "depart": {"assigned": ("dispatched",), "waiting_parts": ("dispatched",),
               "waiting_customer": ("dispatched",)},
    "arrive": {"assigned": ("dispatched", "on_site"), "dispatched": ("on_site",),
               "waiting_parts": ("on_site",), "waiting_customer": ("on_site",)},
    "finish": {"on_site": ("resolved",)},
}
# Stamps that must be taken at the service location.
FENCED_KINDS = ("arrive", "finish")


@dataclass(frozen=True)
class StampIn:
    client_id: str
    kind: str
    latitude: float
    longitude: float
    accuracy_m: float
    device_at: datetime
    queued: bool = False


@dataclass(frozen=True)
class StampResult:
    stamp: TicketStamp
    created: bool  # False: a resend of a stamp already stored


@dataclass(frozen=True)
class Position:
    technician_id: int
    latitude: Decimal
    longitude: Decimal
    accuracy_m: Decimal
    at: datetime
    ticket_id: int
    kind: str


def _check_coordinates(data: StampIn) -> None:
    for field, value, limit in (("latitude", data.latitude, 90),
                                ("longitude", data.longitude, 180)):
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise ValidationFailed(
                _l("Must be a number between -%(limit)d and %(limit)d.", limit=limit), field
            )
    if not math.isfinite(data.accuracy_m) or data.accuracy_m < 0:
        raise ValidationFailed(_l("The accuracy must be zero or more metres."), "accuracy_m")
    if data.accuracy_m > MAX_ACCURACY_M:
        raise ValidationFailed(
            _l("The position is too imprecise (over %(metres)d m); wait for a GPS fix and "
               "try again.", metres=MAX_ACCURACY_M),
            "accuracy_m",
        )
    if data.device_at.tzinfo is None:
        raise ValidationFailed(_l("The device time needs its time zone."), "device_at")


def _ensure_may_stamp(ticket: Ticket, actor: User, may_dispatch: bool) -> None:
    if not (may_dispatch or ticket.technician_id == actor.id):
        raise PermissionDenied(_l("Only the assigned technician or the desk may stamp this."))


def find_stamp(session: Session, client_id: str) -> TicketStamp | None:
    return session.scalar(select(TicketStamp).where(TicketStamp.client_id == client_id))


def record_stamp(
    session: Session, ticket: Ticket, data: StampIn, actor: User, may_dispatch: bool,
    now: datetime | None = None,
) -> StampResult:
    """Store one stamp (or find its earlier copy), flag it, and take the step it asks for."""
    stored = find_stamp(session, data.client_id)
    if stored is not None:
        return _resent(stored, ticket, actor, may_dispatch)
    _ensure_may_stamp(ticket, actor, may_dispatch)
    _check_coordinates(data)
    now = now or utcnow()
    stamp = TicketStamp(
        client_id=data.client_id, ticket_id=ticket.id, technician_id=actor.id, kind=data.kind,
        latitude=Decimal(str(round(data.latitude, 6))),
        longitude=Decimal(str(round(data.longitude, 6))),
        accuracy_m=Decimal(str(round(data.accuracy_m, 1))), device_at=data.device_at,
        server_at=now, late=bool(data.queued),
    )
    _judge_place(ticket, stamp)
    _judge_clock(ticket, stamp, now)
    _judge_speed(session, stamp)
    stamp = _stored_once(session, stamp)
    if stamp is None:  # the same stamp, resent at the same moment
        return _resent(find_stamp(session, data.client_id), ticket, actor, may_dispatch)
    _take_step(session, ticket, stamp, actor, may_dispatch, now)
    if stamp.kind == "arrive" and stamp.verified:
        _verified_arrival(ticket, stamp.at)
    session.flush()
    return StampResult(stamp, created=True)


def _resent(stored: TicketStamp, ticket: Ticket, actor: User,
            may_dispatch: bool) -> StampResult:
    if stored.ticket_id != ticket.id:
        raise Conflict(_l("This stamp id was already used on another work order."),
                       "client_id")
    if stored.technician_id != actor.id:
        _ensure_may_stamp(ticket, actor, may_dispatch)
    return StampResult(stored, created=False)


def _stored_once(session: Session, stamp: TicketStamp) -> TicketStamp | None:
    """Insert the stamp unless its client id is stored already: the stored row, or None
    if a copy got there first. The unique index decides between concurrent resends (a
    later insert waits for the first to commit, then does nothing), so a phone resending
    on a bad network gets the stored stamp back however the copies race."""
    values = {column.key: getattr(stamp, column.key) for column in TicketStamp.__table__.c
              if getattr(stamp, column.key) is not None}  # unset: the column's default
    stamp_id = session.scalar(insert_unless_present(session, TicketStamp, "client_id")
                              .values(values).returning(TicketStamp.id))
    if stamp_id is None:
        return None
    return session.get(TicketStamp, stamp_id)  # its entry: core/audit_statements.py


def _judge_place(ticket: Ticket, stamp: TicketStamp) -> None:
    if ticket.service_latitude is None or ticket.service_longitude is None:
        stamp.status = "no_service_location" if stamp.kind in FENCED_KINDS else "recorded"
        return
    distance = geo.distance_m((stamp.latitude, stamp.longitude),
                              (ticket.service_latitude, ticket.service_longitude))
    stamp.distance_m = round(distance)
    if stamp.kind not in FENCED_KINDS:
        stamp.status = "recorded"
        return
    stamp.geofence_m = settings.current().geofence_m + math.ceil(stamp.accuracy_m)
    stamp.status = "verified" if distance <= stamp.geofence_m else "off_site"


def _judge_clock(ticket: Ticket, stamp: TicketStamp, now: datetime) -> None:
    """A live stamp's device clock must agree with the server's; a queued one may be old,
    but no stamp is taken in the future or before the work order existed."""
    ahead = stamp.device_at - now
    live_off = not stamp.late and abs(ahead) > CLOCK_TOLERANCE
    stamp.clock_skew = (
        live_off or ahead > CLOCK_TOLERANCE
        or stamp.device_at < ticket.created_at - CLOCK_TOLERANCE
    )


def _judge_speed(session: Session, stamp: TicketStamp) -> None:
    """Against the same technician's stamp just before by device time: how fast they would
    have travelled, leaving out the distance both positions may be off by."""
    previous = session.execute(
        select(TicketStamp.latitude, TicketStamp.longitude, TicketStamp.accuracy_m,
               TicketStamp.device_at)
        .where(TicketStamp.technician_id == stamp.technician_id,
               TicketStamp.device_at <= stamp.device_at)
        .order_by(TicketStamp.device_at.desc(), TicketStamp.id.desc())
        .limit(1)
    ).first()
    if previous is None:
        return
    distance = geo.distance_m((stamp.latitude, stamp.longitude),
                              (previous.latitude, previous.longitude))
    travelled = max(0.0, distance - float(stamp.accuracy_m) - float(previous.accuracy_m))
    seconds = (stamp.device_at - previous.device_at).total_seconds()
    if travelled == 0:
        stamp.speed_kmh = 0
        return
    speed = travelled / 1000 / (seconds / 3600) if seconds > 0 else math.inf
    stamp.speed_kmh = min(round(speed), 99_999) if math.isfinite(speed) else 99_999
    stamp.impossible_speed = speed > MAX_SPEED_KMH


def _take_step(
    session: Session, ticket: Ticket, stamp: TicketStamp, actor: User, may_dispatch: bool,
    now: datetime,
) -> None:
    """The work-order steps the stamp stands for, through the state machine with all its
    checks. A refused step leaves the stamp stored, with the reason."""
    steps = STEPS[stamp.kind].get(ticket.state)
    if steps is None:
        if ticket.state in FINISHED_STATES or stamp.kind == "finish":
            stamp.step_refused = str(_l(
                "The work order is %(state)s: the stamp is kept, the state is unchanged.",
                state=STATE_LABELS[ticket.state],
            ))
        return
    for to_state in steps:
        # Departing is the assigned technician's own confirmation of the dispatch.
        allowed = may_dispatch or (to_state == "dispatched" and ticket.technician_id == actor.id)
        try:
            services.move_ticket(session, ticket, services.Move(to_state), actor, allowed, now)
        except DomainError as refusal:
            stamp.step_refused = str(refusal.message)[:300]
            return
        stamp.to_state = to_state
    if stamp.to_state == "on_site" and stamp.at < ticket.arrived_at:
        # Taken offline: arrived when the stamp was taken. A later visit's arrival (after
        # waiting for parts) never replaces the first, which the response figures count.
        ticket.arrived_at = stamp.at


def _verified_arrival(ticket: Ticket, at: datetime) -> None:
    """The emergency arrival SLA: met when the first verified arrival is on time. A stamp
    queued offline may prove an earlier arrival than one already known."""
    if ticket.arrival_verified_at is not None and ticket.arrival_verified_at <= at:
        return
    ticket.arrival_verified_at = at
    if ticket.arrival_due_at is not None:
        ticket.arrival_met = at <= ticket.arrival_due_at


KIND_LABELS = StampKind.labels()


def describe(stamp: TicketStamp) -> str:
    """What the server made of a stamp, in a sentence or two for the technician."""
    parts = [str(KIND_LABELS[stamp.kind]) + ":"]
    if stamp.status == "verified":
        parts.append(str(_l("verified on site, %(distance)d m from the service address.",
                            distance=stamp.distance_m)))
    elif stamp.status == "off_site":
        parts.append(str(_l("OFF SITE, %(distance)d m from the service address (allowed "
                            "%(fence)d m). Kept and flagged.",
                            distance=stamp.distance_m, fence=stamp.geofence_m)))
    elif stamp.status == "no_service_location":
        parts.append(str(_l("stored; the service address has no coordinates, so presence "
                            "cannot be verified.")))
    else:
        parts.append(str(_l("stored.")))
    if stamp.impossible_speed:
        parts.append(str(_l("Flagged: %(speed)d km/h since your previous stamp.",
                            speed=stamp.speed_kmh)))
    if stamp.clock_skew:
        parts.append(str(_l("Flagged: the phone's clock disagrees with the server's.")))
    if stamp.late:
        parts.append(str(_l("Sent late (taken offline).")))
    if stamp.to_state:
        parts.append(str(_l("The work order is now %(state)s.",
                            state=STATE_LABELS[stamp.to_state])))
    if stamp.step_refused:
        parts.append(str(_l("The work order was not changed: %(reason)s",
                            reason=stamp.step_refused)))
    return " ".join(parts)


def mark_missed_arrivals(session: Session, now: datetime | None = None) -> int:
    """Emergencies whose arrival is due and not proven: failed. Idempotent, set-based; a
    verified arrival sent late with an earlier device time still turns it to met."""
    result = session.execute(
        update(Ticket)
        .where(Ticket.arrival_due_at < (now or utcnow()), Ticket.arrival_met.is_(None),
               Ticket.arrival_verified_at.is_(None))
        .values(arrival_met=False)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def stamps_of(session: Session, ticket_id: int, limit: int = 500) -> list[TicketStamp]:
    return stamps_by_ticket(session, [ticket_id], limit).get(ticket_id, [])


def stamps_by_ticket(session: Session, ticket_ids: list[int], limit: int = 500
                     ) -> dict[int, list[TicketStamp]]:
    """The first `limit` stamps of each of these work orders, in the order sent, in one
    query (numbered per work order, so one long trail does not crowd out the others)."""
    trails: dict[int, list[TicketStamp]] = defaultdict(list)
    if not ticket_ids:
        return trails
    numbered = select(
        TicketStamp.id,
        func.row_number().over(partition_by=TicketStamp.ticket_id, order_by=TicketStamp.id)
        .label("number"),
    ).where(TicketStamp.ticket_id.in_(ticket_ids)).subquery()
    for stamp in session.scalars(
            select(TicketStamp).join(numbered, numbered.c.id == TicketStamp.id)
            .where(numbered.c.number <= limit).order_by(TicketStamp.id)):
        trails[stamp.ticket_id].append(stamp)
    return trails


def last_positions(session: Session, technician_ids) -> dict[int, Position]:
    """Each technician's latest stamp by device time, in one query (for the dispatch board):
    one index seek on (technician_id, device_at) per technician, never a scan of the trail."""
    ids = list({int(i) for i in technician_ids})
    if not ids:
        return {}
    latest = (
        select(TicketStamp.id)
        .where(TicketStamp.technician_id == User.id)
        .order_by(TicketStamp.device_at.desc(), TicketStamp.id.desc())
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    stamp_ids = select(latest).where(User.id.in_(ids))
    rows = session.execute(
        select(TicketStamp.technician_id, TicketStamp.latitude, TicketStamp.longitude,
               TicketStamp.accuracy_m, TicketStamp.device_at, TicketStamp.ticket_id,
               TicketStamp.kind)
        .where(TicketStamp.id.in_(stamp_ids))
    ).all()
    return {
        row.technician_id: Position(row.technician_id, row.latitude, row.longitude,
                                    row.accuracy_m, row.device_at, row.ticket_id, row.kind)
        for row in rows
    }


@dataclass(frozen=True)
class Summary:
    """What the stamps of one work order prove, for the page and the record sheet."""

    count: int
    first_verified_arrival: TicketStamp | None
    off_site: int
    flagged: int
    late: int


def summary(stamps: list[TicketStamp]) -> Summary:
    arrivals = [s for s in stamps if s.kind == "arrive" and s.verified]
    return Summary(
        count=len(stamps),
        first_verified_arrival=min(arrivals, key=lambda s: s.at) if arrivals else None,
        off_site=sum(1 for s in stamps if s.status == "off_site"),
        flagged=sum(1 for s in stamps if s.impossible_speed or s.clock_skew),
        late=sum(1 for s in stamps if s.late),
    )
