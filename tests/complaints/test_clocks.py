"""Clock maths: due times, pauses, met/failed and variance, reopening, calendars."""

from datetime import UTC, datetime, timedelta

import pytest

from aftersales.complaints import clocks, services
from aftersales.complaints.models import ComplaintClock
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.extensions import db
from tests.complaints.factories import T0, hours, make_complaint


def _clock(complaint, kind, cycle=1) -> ComplaintClock:
    return next(c for c in services.clocks_of(db.session, complaint.id)
                if c.kind == kind and c.cycle == cycle)


def test_the_response_is_due_24_clock_hours_after_receipt_not_after_entry():
    complaint = make_complaint(received_at=T0 - hours(3), now=T0)
    assert complaint.received_at == T0 - hours(3)
    assert complaint.entered_at == T0
    assert _clock(complaint, "response").due_at == T0 + hours(21)
    assert complaint.next_due_at == T0 + hours(21)


def test_the_resolution_is_due_7_days_after_receipt():
    complaint = make_complaint()
    assert _clock(complaint, "resolution").due_at == T0 + timedelta(days=7)


def test_a_critical_complaint_has_tighter_targets():
    complaint = make_complaint(severity="critical")
    assert _clock(complaint, "response").due_at == T0 + hours(4)


def test_targets_per_severity_come_from_configuration(settings_changed):
    settings_changed("complaints", targets=clocks.parse_targets("normal=8h/2d"))
    complaint = make_complaint()
    assert _clock(complaint, "response").due_at == T0 + hours(8)
    assert _clock(complaint, "resolution").due_at == T0 + timedelta(days=2)


def test_a_complaint_received_in_the_future_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        make_complaint(received_at=T0 + hours(1), now=T0)
    assert refused.value.field == "received_at"


def test_a_response_within_the_target_is_met_with_negative_variance():
    complaint = make_complaint()
    clock = services.acknowledge(db.session, complaint, None, "已致电客户致歉", now=T0 + hours(5))
    assert (clock.met, clock.variance_seconds, clock.elapsed_seconds) == (True, -19 * 3600,
                                                                         5 * 3600)
    assert complaint.state == "acknowledged"
    assert complaint.next_due_at == T0 + timedelta(days=7)


def test_a_late_response_fails_by_the_exact_lateness():
    complaint = make_complaint()
    clock = services.acknowledge(db.session, complaint, None, "回电", now=T0 + hours(25.5))
    assert (clock.met, clock.variance_seconds) == (False, 5400)


def test_a_pause_moves_the_deadline_by_exactly_the_paused_time():
    complaint = make_complaint()
    services.pause(db.session, complaint, None, "等待客户提供发票", now=T0 + hours(2))
    assert complaint.next_due_at is None
    assert _clock(complaint, "response").due_at is None
    services.resume(db.session, complaint, None, now=T0 + hours(2) + timedelta(minutes=97))
    assert _clock(complaint, "response").due_at == T0 + hours(24) + timedelta(minutes=97)
    assert _clock(complaint, "resolution").due_at == T0 + timedelta(days=7, minutes=97)
    assert complaint.next_due_at == T0 + hours(24) + timedelta(minutes=97)


def test_paused_time_does_not_count_against_the_response():
    complaint = make_complaint()
    services.pause(db.session, complaint, None, "客户出差", now=T0 + hours(1))
    services.resume(db.session, complaint, None, now=T0 + hours(11))
    clock = services.acknowledge(db.session, complaint, None, "已答复", now=T0 + hours(30))
    assert (clock.met, clock.elapsed_seconds, clock.paused_seconds) == (True, 20 * 3600,
                                                                        10 * 3600)


def test_each_pause_is_logged_and_two_pauses_add_up():
    complaint = make_complaint()
    services.pause(db.session, complaint, None, "等客户回电", now=T0 + hours(1))
    services.resume(db.session, complaint, None, now=T0 + hours(2))
    services.pause(db.session, complaint, None, "等客户照片", now=T0 + hours(3))
    services.resume(db.session, complaint, None, now=T0 + hours(6))
    assert [p.reason for p in services.pauses_of(db.session, complaint.id)] == ["等客户回电",
                                                                                "等客户照片"]
    assert _clock(complaint, "response").due_at == T0 + hours(28)


def test_a_complaint_cannot_be_paused_twice():
    complaint = make_complaint()
    services.pause(db.session, complaint, None, "等客户", now=T0 + hours(1))
    with pytest.raises(Conflict):
        services.pause(db.session, complaint, None, "再等", now=T0 + hours(2))


def _resolve(complaint, at):
    return services.resolve(db.session, complaint, None, services.Resolution(
        resolution="更换整机", root_cause="压缩机批次缺陷", corrective_action="该批次召回检查",
        compensation_fen=20000,
    ), now=at)


def test_resolving_stops_the_resolution_clock_and_stores_the_outcome():
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, None, "已致歉", now=T0 + hours(1))
    clock = _resolve(complaint, T0 + timedelta(days=8))
    assert (clock.met, clock.variance_seconds) == (False, 24 * 3600)
    assert complaint.compensation_fen == 20000
    assert complaint.next_due_at is None


def test_resolving_before_the_response_is_refused():
    complaint = make_complaint()
    with pytest.raises(Conflict):
        _resolve(complaint, T0 + hours(1))


def test_reopening_starts_new_clocks_and_keeps_the_old_ones():
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, None, "已致歉", now=T0 + hours(1))
    _resolve(complaint, T0 + hours(30))
    services.confirm(db.session, complaint, None, False, 2, "问题没解决", now=T0 + hours(40))
    assert (complaint.state, complaint.cycle) == ("received", 2)
    first = _clock(complaint, "response", cycle=1)
    assert (first.met, first.elapsed_seconds) == (True, 3600)
    assert _clock(complaint, "resolution", cycle=1).stopped_at == T0 + hours(30)
    assert _clock(complaint, "response", cycle=2).due_at == T0 + hours(64)
    assert complaint.next_due_at == T0 + hours(64)
    assert len(services.clocks_of(db.session, complaint.id)) == 4


def test_the_customers_acceptance_closes_with_satisfaction():
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, None, "已致歉", now=T0 + hours(1))
    _resolve(complaint, T0 + hours(30))
    services.confirm(db.session, complaint, None, True, 4, "满意", now=T0 + hours(40))
    assert (complaint.state, complaint.satisfaction) == ("closed", 4)
    assert complaint.customer_confirmed_at == T0 + hours(40)


def test_the_business_calendar_counts_resolution_in_working_hours_only():
    friday_five_pm = datetime(2026, 11, 6, 9, 0, tzinfo=UTC)  # 17:00 Beijing
    complaint = make_complaint(calendar="business", severity="critical", now=friday_five_pm)
    # 72 working hours: 1 h on Friday 6 Nov, nine 7.5-hour days (9-13 and 16-19 Nov) make
    # 68.5 h, and 3.5 h of Friday 20 Nov: 09:00-12:00 and 13:30-14:00 Beijing.
    assert _clock(complaint, "resolution").due_at == datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def test_the_response_counts_clock_hours_whatever_the_calendar():
    friday_five_pm = datetime(2026, 11, 6, 9, 0, tzinfo=UTC)  # 17:00 Beijing
    complaint = make_complaint(calendar="business", severity="critical", now=friday_five_pm)
    # The 4-hour answer is owed on the wall clock: Friday 21:00 Beijing, not Monday.
    clock = _clock(complaint, "response")
    assert (clock.calendar, clock.due_at) == ("clock", datetime(2026, 11, 6, 13, 0, tzinfo=UTC))


@pytest.mark.parametrize("text", ["bad", "r=response@x>handler", "a=response@1>nobody"])
def test_a_malformed_ladder_is_refused(text):
    with pytest.raises(ValueError):
        clocks.parse_ladder(text)


def test_the_default_ladder_has_the_three_response_rungs():
    steps = clocks.parse_ladder(clocks.DEFAULT_LADDER_TEXT)
    response = [(s.fraction, s.after, s.recipient) for s in steps if s.clock == "response"]
    assert response == [(0.75, timedelta(0), "handler"), (1.0, timedelta(0), "supervisor"),
                        (1.0, timedelta(hours=24), "manager")]
