"""The complaints module's evidence providers: figure, counts and failing complaints."""

from datetime import timedelta

from aftersales.complaints import services
from aftersales.core.clock import utcnow
from aftersales.evidence.compliance import registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.evidence.factories import days_ago
from tests.factories import make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def measure(key: str, target: float = 1.0):
    measured = registry.registered()[key].func(db.session, Period.ending(days_ago(0), 90), target)
    failing = list(db.session.scalars(measured.failing)) if measured.failing is not None else []
    return measured, failing


def received(days: float, **values):
    return make_complaint(now=utcnow() - timedelta(days=days), **values)


def answered(complaint, after=timedelta(hours=1)):
    services.acknowledge(db.session, complaint, None, "已致电客户，明天上门复查",
                         now=complaint.received_at + after)
    db.session.commit()
    return complaint


def resolved(complaint):
    answered(complaint)
    services.resolve(db.session, complaint, None,
                     services.Resolution(resolution="更换压缩机", root_cause="压缩机故障"),
                     now=complaint.received_at + timedelta(hours=5))
    db.session.commit()
    return complaint


def test_response_24h_fails_a_due_complaint_without_an_answer_and_skips_one_not_yet_due():
    answered(received(5))
    unanswered = received(3)
    received(0.01)  # received minutes ago: its 24 hours are still running
    measured, failing = measure("complaints.response_24h")
    assert (measured.value, measured.passed, measured.checked) == (0.5, 1, 2)
    assert failing == [unanswered.id]


def test_resolution_rate_is_resolved_over_received_in_the_period():
    resolved(received(4))
    still_open = answered(received(2))
    measured, failing = measure("complaints.resolution_rate")
    assert (measured.value, failing) == (0.5, [still_open.id])


def test_archive_complete_fails_a_closed_complaint_missing_the_customers_confirmation():
    handler = make_user("complaint_handler")
    complete = resolved(received(6, actor=handler))
    services.attach(db.session, complete, None, "letter.png", PNG)
    services.confirm(db.session, complete, None, True, 5, None,
                     now=complete.received_at + timedelta(hours=6))
    unconfirmed = resolved(received(5, actor=handler))
    services.attach(db.session, unconfirmed, None, "letter.png", PNG)
    services.close(db.session, unconfirmed, None, "客户联系不上",
                   now=unconfirmed.received_at + timedelta(hours=6))
    resolved(received(4, actor=handler))  # resolved, not closed: not checked
    db.session.commit()
    measured, failing = measure("complaints.archive_complete")
    assert (measured.value, measured.passed, measured.checked) == (0.5, 1, 2)
    assert failing == [unconfirmed.id]


def test_no_complaint_in_the_period_is_no_data_for_every_complaints_provider():
    received(29).received_at = utcnow() - timedelta(days=200)  # long before the period
    db.session.commit()
    for key in ("complaints.response_24h", "complaints.resolution_rate",
                "complaints.archive_complete"):
        assert measure(key)[0].value is None, key
