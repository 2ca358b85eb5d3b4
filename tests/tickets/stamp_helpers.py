"""Set-ups of the GPS stamp tests: a work order at known coordinates, points at a given
distance from it, and stamps as the phone sends them."""

import uuid
from datetime import datetime, timedelta

from geopy.distance import geodesic

from aftersales.core.clock import utcnow
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets import services, stamps
from tests.factories import make_ticket, make_user

HOME = (39.908722, 116.397499)  # the customer's exact coordinates


def at_distance(metres: float, bearing: float = 0.0, origin=HOME) -> tuple[float, float]:
    point = geodesic(meters=metres).destination(origin, bearing)
    return round(point.latitude, 6), round(point.longitude, 6)


def located_customer(latitude=HOME[0], longitude=HOME[1]):
    customer = customer_services.create_customer(
        db.session, "person", "王芳", f"1390{uuid.uuid4().int % 10**7:07d}", "北京市", "北京市",
        "东城区东长安街1号", latitude=latitude, longitude=longitude,
    )
    db.session.flush()
    return customer


def assigned_ticket(technician=None, priority="normal", **overrides):
    """A work order at HOME, assigned to a technician; (ticket, technician, dispatcher)."""
    dispatcher = make_user("dispatcher")
    technician = technician or make_user("technician")
    overrides.setdefault("now", utcnow() - timedelta(hours=1))
    ticket = make_ticket(customer=located_customer(), priority=priority, **overrides)
    services.move_ticket(db.session, ticket, services.Move("assigned", technician_id=technician.id),
                         dispatcher, True)
    db.session.commit()
    return ticket, technician, dispatcher


def stamp_in(kind, point=HOME, accuracy=10.0, device_at: datetime | None = None, queued=False,
             client_id=None) -> stamps.StampIn:
    return stamps.StampIn(
        client_id=client_id or str(uuid.uuid4()), kind=kind, latitude=point[0],
        longitude=point[1], accuracy_m=accuracy, device_at=device_at or utcnow(), queued=queued,
    )


def send(ticket, actor, kind, point=HOME, may_dispatch=False, now=None, **options):
    data = stamp_in(kind, point, device_at=options.pop("device_at", now), **options)
    return stamps.record_stamp(db.session, ticket, data, actor, may_dispatch, now=now).stamp


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)
