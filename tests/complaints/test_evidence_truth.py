"""The 24-hour response figure counts clock hours from receipt, within the rubric's limit,
and recounts from the detail it gives the package."""

from datetime import timedelta

from sqlalchemy import update

from aftersales.complaints.models import ComplaintClock
from aftersales.core.clock import utcnow
from aftersales.evidence.compliance import registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from tests.complaints.test_evidence import answered, received
from tests.evidence.factories import days_ago


def measure(limits=None):
    period = Period.ending(days_ago(0), 90)
    if limits is not None:
        period.memo["limits"] = limits
    return registry.registered()["complaints.response_24h"].func(db.session, period, 1.0)


def test_an_answer_after_26_clock_hours_fails_even_if_fewer_working_hours_were_counted():
    late = answered(received(6), after=timedelta(hours=26))
    # A business-hours clock would have counted, say, 9 working hours.
    db.session.execute(update(ComplaintClock).where(ComplaintClock.complaint_id == late.id)
                       .values(elapsed_seconds=9 * 3600))
    db.session.commit()
    answered(received(5), after=timedelta(hours=23))
    measured = measure()
    assert (measured.passed, measured.checked) == (1, 2)
    assert list(db.session.scalars(measured.failing)) == [late.id]


def test_the_limit_is_the_rubrics():
    answered(received(6), after=timedelta(hours=26))
    answered(received(5), after=timedelta(hours=23))
    # With a 48-hour limit both pass; with 12 hours neither does.
    assert measure({"complaints.response_24h": 48}).passed == 2
    assert measure({"complaints.response_24h": 12}).passed == 0


def test_an_unanswered_complaint_fails_once_its_limit_has_passed_by_the_figures_moment():
    unanswered = received(2)
    period = Period.ending(days_ago(0), 90)
    # Taken at a moment 10 hours after receipt, the complaint is not due yet...
    period.memo["now"] = unanswered.received_at + timedelta(hours=10)
    early = registry.registered()["complaints.response_24h"].func(db.session, period, 1.0)
    assert early.checked == 0
    # ...taken now (two days on), it is due and fails.
    assert (measure().checked, measure().passed) == (1, 0)


def test_the_detail_recounts_the_figure():
    answered(received(6), after=timedelta(hours=26))
    answered(received(5), after=timedelta(hours=2, minutes=30))
    rows = db.session.execute(measure().detail).all()
    hours = sorted(float(row.hours_to_first_response) for row in rows)
    assert hours == [2.5, 26.0]
    assert all(row.first_response_at <= utcnow() for row in rows)
