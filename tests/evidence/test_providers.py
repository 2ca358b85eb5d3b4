"""Each module's providers: the figure, its counts and the ids of the failing records."""

from datetime import timedelta

from sqlalchemy import update

from aftersales.core.clock import utcnow
from aftersales.evidence.compliance import registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.calls.factories import at, make_call, make_callback, make_missed
from tests.evidence.factories import days_ago
from tests.factories import make_ticket


def period() -> Period:
    return Period.ending(days_ago(0), 90)


def measure(key: str, target: float = 1.0):
    measured = registry.registered()[key].func(db.session, period(), target)
    failing = list(db.session.scalars(measured.failing)) if measured.failing is not None else []
    return measured, failing


def stamped_ticket(**values) -> Ticket:
    ticket = make_ticket(commit=False, **{k: values.pop(k) for k in ("type", "priority")
                                          if k in values})
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(**values))
    db.session.commit()
    return ticket


def test_resolution_sla_is_the_share_met_among_work_orders_resolved_in_the_period():
    resolved = utcnow() - timedelta(days=2)
    stamped_ticket(resolved_at=resolved, resolution_met=True, state="resolved")
    late = stamped_ticket(resolved_at=resolved, resolution_met=False, state="resolved")
    stamped_ticket(resolved_at=utcnow() - timedelta(days=200), resolution_met=False)
    measured, failing = measure("tickets.resolution_sla")
    assert (measured.value, measured.passed, measured.checked) == (0.5, 1, 2)
    assert failing == [late.id]


def test_emergency_arrival_counts_only_emergencies():
    received = utcnow() - timedelta(days=1)
    missed = stamped_ticket(priority="emergency", received_at=received,
                            arrival_verified_at=received + timedelta(hours=3))
    stamped_ticket(priority="emergency", received_at=received,
                   arrival_verified_at=received + timedelta(hours=1))
    stamped_ticket(received_at=received, arrival_verified_at=received + timedelta(hours=5))
    measured, failing = measure("tickets.emergency_arrival")
    assert (measured.passed, measured.checked, failing) == (1, 2, [missed.id])


def test_signoff_share_fails_work_orders_resolved_without_the_customers_signature():
    unsigned = stamped_ticket(state="resolved", resolved_at=utcnow() - timedelta(days=1))
    measured, failing = measure("tickets.signoff_share")
    assert (measured.value, failing) == (0.0, [unsigned.id])


def test_a_metric_without_records_in_the_period_has_no_data():
    measured, _ = measure("tickets.installation_sla")
    assert measured.value is None and measured.checked == 0


def test_hotline_answer_rate_and_its_unanswered_calls():
    make_call(queued=at("10:00"))
    make_call(queued=at("10:05"))
    missed = make_missed(queued=at("10:10"))
    measured, failing = measure("calls.answer_rate")
    assert (measured.passed, measured.checked, failing) == (2, 3, [missed.id])


def test_callback_time_averages_the_delay_and_fails_calls_never_returned():
    returned = make_missed(number="13900000001", queued=at("10:00"))
    make_callback(returned, after=timedelta(hours=1), wait=0)
    open_call = make_missed(number="13900000002", queued=at("11:00"))
    measured, failing = measure("calls.callback_time", 14400)
    assert measured.value == 3600 and (measured.passed, measured.checked) == (1, 2)
    assert failing == [open_call.id]
