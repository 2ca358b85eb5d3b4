"""What each complaint keeps for the board: its customer's previous complaint and its
clocks' outcomes, written with the change that decides them."""

from aftersales.complaints import services
from aftersales.extensions import db
from tests.complaints.factories import T0, hours, make_complaint
from tests.factories import make_customer


def _acknowledged_and_resolved(complaint, answered, resolved):
    services.acknowledge(db.session, complaint, None, "已致歉", now=answered)
    services.resolve(db.session, complaint, None, services.Resolution("换机", "缺陷"),
                     now=resolved)
    db.session.commit()


def test_a_first_complaint_has_no_previous_one():
    assert make_complaint().previous_received_at is None


def test_a_complaint_entered_late_becomes_its_successors_previous_one():
    customer = make_customer()
    first = make_complaint(customer=customer, now=T0)
    third = make_complaint(customer=customer, now=T0 + hours(10))
    letter = make_complaint(customer=customer, now=T0 + hours(20), received_at=T0 + hours(5))
    assert (letter.previous_received_at, third.previous_received_at) == (
        first.received_at, letter.received_at)


def test_the_first_response_outcome_is_kept_with_its_counted_seconds():
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, None, "已致歉", now=T0 + hours(2))
    db.session.commit()
    assert (complaint.first_response_met, complaint.first_response_seconds) == (True, 7200)


def test_a_pause_is_not_counted_in_the_resolution_seconds():
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, None, "已致歉", now=T0 + hours(1))
    services.pause(db.session, complaint, None, "等客户在家", now=T0 + hours(2))
    services.resume(db.session, complaint, None, now=T0 + hours(5))
    services.resolve(db.session, complaint, None, services.Resolution("换机", "缺陷"),
                     now=T0 + hours(8))
    db.session.commit()
    assert (complaint.resolution_met, complaint.resolution_seconds) == (True, 5 * 3600)


def test_a_reopened_complaint_keeps_no_resolution_outcome_until_resolved_again():
    complaint = make_complaint()
    _acknowledged_and_resolved(complaint, T0 + hours(1), T0 + hours(5))
    services.reopen(db.session, complaint, None, "又坏了", now=T0 + hours(50))
    db.session.commit()
    assert (complaint.resolution_met, complaint.resolution_seconds) == (None, None)


def test_a_second_cycle_resolution_replaces_the_first_and_keeps_the_first_response():
    complaint = make_complaint()
    _acknowledged_and_resolved(complaint, T0 + hours(1), T0 + hours(5))
    services.reopen(db.session, complaint, None, "又坏了", now=T0 + hours(50))
    _acknowledged_and_resolved(complaint, T0 + hours(60), T0 + hours(53 + 7 * 24))
    assert (complaint.first_response_seconds, complaint.resolution_met,
            complaint.resolution_seconds) == (3600, False, (3 + 7 * 24) * 3600)
