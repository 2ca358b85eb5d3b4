"""The emergency arrival SLA: from creation to the first verified GPS arrival, 2 hours."""

from datetime import timedelta

from aftersales.core.clock import utcnow
from aftersales.extensions import db
from aftersales.tickets import jobs
from tests.tickets.stamp_helpers import assigned_ticket, at_distance, minutes, send


def emergency(opened_minutes_ago: int):
    opened = utcnow() - minutes(opened_minutes_ago)
    return assigned_ticket(priority="emergency", now=opened, received_at=opened)


def test_a_verified_arrival_within_two_hours_meets_it():
    ticket, technician, _desk = emergency(90)
    stamp = send(ticket, technician, "arrive", at_distance(100))
    assert ticket.arrival_met is True and ticket.arrival_verified_at == stamp.server_at


def test_a_verified_arrival_after_two_hours_fails_it():
    ticket, technician, _desk = emergency(150)
    send(ticket, technician, "arrive", at_distance(100))
    assert ticket.arrival_met is False


def test_an_off_site_arrival_does_not_meet_it():
    ticket, technician, _desk = emergency(30)
    send(ticket, technician, "arrive", at_distance(3000))
    assert (ticket.state, ticket.arrival_met, ticket.arrival_verified_at) == ("on_site", None, None)


def test_an_arrival_at_impossible_speed_does_not_meet_it():
    ticket, technician, _desk = emergency(30)
    now = utcnow()
    send(ticket, technician, "depart", at_distance(80_000), now=now - minutes(5))
    send(ticket, technician, "arrive", now=now)
    assert ticket.arrival_met is None


def test_a_later_verified_arrival_after_an_off_site_one_still_counts():
    ticket, technician, _desk = emergency(60)
    now = utcnow()
    send(ticket, technician, "arrive", at_distance(2000), now=now - minutes(10))
    send(ticket, technician, "arrive", at_distance(50), now=now)
    assert ticket.arrival_met is True


def test_the_job_fails_emergencies_past_due_without_a_verified_arrival():
    late, technician, _desk = emergency(130)
    send(late, technician, "arrive", at_distance(3000))
    waiting, _t, _d = emergency(30)
    db.session.commit()
    assert jobs.mark_missed_arrivals(db.session) == 1
    assert jobs.mark_missed_arrivals(db.session) == 0  # idempotent
    db.session.refresh(late)
    db.session.refresh(waiting)
    assert (late.arrival_met, waiting.arrival_met) == (False, None)


def test_a_queued_verified_arrival_taken_in_time_turns_a_missed_one_to_met():
    ticket, technician, _desk = emergency(150)
    db.session.commit()
    jobs.mark_missed_arrivals(db.session)
    db.session.refresh(ticket)
    taken = utcnow() - timedelta(minutes=60)  # 90 minutes after opening, sent only now
    send(ticket, technician, "arrive", at_distance(80), device_at=taken, queued=True)
    assert (ticket.arrival_met, ticket.arrival_verified_at) == (True, taken)
