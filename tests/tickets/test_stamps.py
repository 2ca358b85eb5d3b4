"""GPS stamps: the geofence, the speed and clock checks, what they do to the work order."""

import pytest

from aftersales.core.clock import utcnow
from aftersales.core.errors import PermissionDenied, ValidationFailed
from aftersales.extensions import db
from aftersales.tickets import services, stamps
from aftersales.tickets.models import TicketStamp
from tests.factories import make_customer, make_ticket, make_user
from tests.tickets.stamp_helpers import (
    HOME,
    assigned_ticket,
    at_distance,
    minutes,
    send,
    stamp_in,
)


def test_an_arrival_inside_the_geofence_is_verified_and_puts_the_order_on_site():
    ticket, technician, _desk = assigned_ticket()
    send(ticket, technician, "depart", at_distance(8000), now=utcnow() - minutes(30))
    stamp = send(ticket, technician, "arrive", at_distance(480), accuracy=0)
    assert (stamp.status, stamp.distance_m, stamp.to_state) == ("verified", 480, "on_site")
    assert ticket.state == "on_site" and ticket.arrived_at is not None


def test_just_outside_the_geofence_is_off_site_with_its_distance():
    ticket, technician, _desk = assigned_ticket()
    stamp = send(ticket, technician, "arrive", at_distance(520), accuracy=0)
    assert (stamp.status, stamp.distance_m, stamp.geofence_m) == ("off_site", 520, 500)
    assert stamp.flags == ["off_site"]


def test_the_reported_accuracy_widens_the_geofence():
    ticket, technician, _desk = assigned_ticket()
    stamp = send(ticket, technician, "arrive", at_distance(520), accuracy=30)
    assert (stamp.status, stamp.geofence_m) == ("verified", 530)


def test_the_geofence_radius_is_configurable(settings_changed):
    ticket, technician, _desk = assigned_ticket()
    settings_changed("tickets", geofence_m=200)
    stamp = send(ticket, technician, "arrive", at_distance(300), accuracy=0)
    assert stamp.status == "off_site"


def test_an_off_site_arrival_still_moves_the_order_and_is_kept():
    ticket, technician, _desk = assigned_ticket()
    stamp = send(ticket, technician, "arrive", at_distance(3000))
    assert (stamp.status, stamp.to_state, ticket.state) == ("off_site", "on_site", "on_site")
    assert db.session.get(TicketStamp, stamp.id) is not None


def test_a_departure_takes_an_assigned_order_to_dispatched():
    ticket, technician, _desk = assigned_ticket()
    stamp = send(ticket, technician, "depart", at_distance(5000))
    assert (stamp.status, stamp.to_state, ticket.state) == ("recorded", "dispatched", "dispatched")


def test_a_resend_returns_the_stored_stamp_once():
    ticket, technician, _desk = assigned_ticket()
    data = stamp_in("arrive")
    first = stamps.record_stamp(db.session, ticket, data, technician, False)
    again = stamps.record_stamp(db.session, ticket, data, technician, False)
    assert (first.created, again.created, again.stamp.id) == (True, False, first.stamp.id)
    assert db.session.query(TicketStamp).count() == 1


def test_a_refused_step_keeps_the_stamp_with_the_reason():
    ticket, technician, _desk = assigned_ticket()  # finishing before arriving
    stamp = send(ticket, technician, "finish")
    assert stamp.id is not None and stamp.to_state is None
    assert stamp.step_refused and ticket.state == "assigned"


def test_finishing_on_site_resolves_through_the_state_machine():
    ticket, technician, _desk = assigned_ticket()
    send(ticket, technician, "arrive", now=utcnow() - minutes(40))
    stamp = send(ticket, technician, "finish", at_distance(50))
    assert (stamp.status, stamp.to_state, ticket.state) == ("verified", "resolved", "resolved")


def test_only_the_assigned_technician_or_the_desk_stamps():
    ticket, _technician, dispatcher = assigned_ticket()
    with pytest.raises(PermissionDenied):
        send(ticket, make_user("technician"), "arrive")
    assert send(ticket, dispatcher, "arrive", may_dispatch=True).status == "verified"


@pytest.mark.parametrize(("field", "values"), [
    ("latitude", {"point": (91.0, 116.0)}),
    ("longitude", {"point": (39.9, -180.5)}),
    ("latitude", {"point": (float("nan"), 116.0)}),
    ("accuracy_m", {"accuracy": -1.0}),
    ("accuracy_m", {"accuracy": 50_000.0}),
])
def test_impossible_coordinates_are_refused_naming_the_field(field, values):
    ticket, technician, _desk = assigned_ticket()
    with pytest.raises(ValidationFailed) as refused:
        send(ticket, technician, "arrive", **values)
    assert refused.value.field == field
    assert db.session.query(TicketStamp).count() == 0


def test_a_jump_faster_than_200_kmh_is_flagged():
    ticket, technician, _desk = assigned_ticket()
    now = utcnow()
    send(ticket, technician, "depart", at_distance(50_000), now=now - minutes(10))
    stamp = send(ticket, technician, "arrive", now=now)  # 50 km in 10 minutes: 300 km/h
    assert stamp.impossible_speed and 290 <= stamp.speed_kmh <= 300
    assert not stamp.verified and "impossible_speed" in stamp.flags


def test_a_believable_drive_is_not_flagged():
    ticket, technician, _desk = assigned_ticket()
    now = utcnow()
    send(ticket, technician, "depart", at_distance(20_000), now=now - minutes(30))
    stamp = send(ticket, technician, "arrive", now=now)  # 20 km in 30 minutes
    assert not stamp.impossible_speed and stamp.verified


def test_the_speed_is_against_the_previous_stamp_by_device_time_across_orders():
    first, technician, _desk = assigned_ticket()
    second, _same, _desk2 = assigned_ticket(technician=technician)
    now = utcnow()
    send(first, technician, "arrive", at_distance(100_000), now=now - minutes(20))
    stamp = send(second, technician, "arrive", now=now)
    assert stamp.impossible_speed


def test_a_live_stamp_with_the_phone_clock_off_is_flagged():
    ticket, technician, _desk = assigned_ticket()
    now = utcnow()
    stamp = send(ticket, technician, "arrive", now=now, device_at=now - minutes(20))
    assert stamp.clock_skew and stamp.at == now


def test_a_queued_stamp_keeps_its_device_time_and_is_late():
    ticket, technician, _desk = assigned_ticket()
    now = utcnow()
    stamp = send(ticket, technician, "arrive", now=now, device_at=now - minutes(20), queued=True)
    assert (stamp.late, stamp.clock_skew, stamp.at) == (True, False, now - minutes(20))
    assert ticket.arrived_at == now - minutes(20)


def test_a_queued_arrival_of_a_second_visit_keeps_the_first_arrival():
    ticket, technician, _desk = assigned_ticket()
    first = utcnow() - minutes(120)
    send(ticket, technician, "arrive", now=first)
    services.move_ticket(db.session, ticket, services.Move("waiting_parts"), technician, True,
                         first + minutes(10))
    now = utcnow()
    send(ticket, technician, "arrive", now=now, device_at=now - minutes(20), queued=True)
    assert ticket.state == "on_site" and ticket.arrived_at == first


def test_a_device_time_in_the_future_is_flagged_even_when_queued():
    ticket, technician, _desk = assigned_ticket()
    now = utcnow()
    stamp = send(ticket, technician, "arrive", now=now, device_at=now + minutes(30), queued=True)
    assert stamp.clock_skew and stamp.at == now


def test_without_a_service_location_arrival_cannot_be_verified(monkeypatch):
    from aftersales.core import geo

    monkeypatch.setattr(geo.RegistryGeocoder, "locate", lambda *args: None)
    technician = make_user("technician")
    ticket = make_ticket(customer=make_customer())
    from aftersales.tickets import services

    services.move_ticket(db.session, ticket, services.Move("assigned", technician_id=technician.id),
                         make_user("dispatcher"), True)
    stamp = send(ticket, technician, "arrive")
    assert (stamp.status, stamp.flags) == ("no_service_location", ["no_service_location"])
    assert stamp.id is not None and not stamp.verified


def test_last_positions_gives_each_technicians_latest_stamp_in_one_query(count_queries):
    first, technician, _desk = assigned_ticket()
    other_ticket, other, _desk2 = assigned_ticket()
    now = utcnow()
    send(first, technician, "depart", at_distance(3000), now=now - minutes(30))
    send(first, technician, "arrive", now=now - minutes(5))
    send(other_ticket, other, "depart", at_distance(9000), now=now - minutes(2))
    db.session.commit()
    wanted = [technician.id, other.id, 999]
    with count_queries() as statements:
        positions = stamps.last_positions(db.session, wanted)
    assert len(statements) == 1
    assert positions[technician.id].kind == "arrive"
    assert positions[other.id].kind == "depart" and 999 not in positions
    assert float(positions[technician.id].latitude) == pytest.approx(HOME[0])
