"""Logging a call: computed wait and hotline hours, validation by field, the customer
matched by phone."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from aftersales.calls import services, settings
from aftersales.core.clock import utcnow
from aftersales.core.models import AuditEntry
from aftersales.extensions import db
from tests.calls.factories import at, draft, make_call
from tests.factories import make_customer, make_user


def problems_of(values) -> dict:
    with pytest.raises(services.InvalidCall) as refused:
        services.log_call(db.session, values)
    return refused.value.errors


def test_the_wait_runs_from_queued_to_answered():
    call = make_call(queued=at("09:00:00"), wait=37, talk=300)
    assert call.wait_seconds == 37


def test_the_wait_of_an_unanswered_call_runs_until_it_ended():
    call = make_call(queued=at("09:00:00"), outcome="abandoned", wait=95)
    assert call.wait_seconds == 95


def test_a_wait_typed_by_hand_is_not_a_field_of_a_call():
    with pytest.raises(TypeError):
        services.CallDraft(
            direction="inbound", caller_number="13912345678", queued_at=at("09:00"),
            outcome="answered", wait_seconds=1,
        )


@pytest.mark.parametrize(
    ("clock", "inside"),
    [("07:59:59", False), ("08:00:00", True), ("19:59:59", True), ("20:00:00", False),
     ("23:30:00", False)],
)
def test_the_hotline_hours_flag_follows_beijing_time(clock, inside):
    assert make_call(queued=at(clock)).within_hotline_hours is inside


def test_hotline_hours_may_have_a_lunch_break():
    hours = settings.parse_hours("08:00-12:00,13:00-20:00")
    assert [hours.contains(at(clock)) for clock in ("11:59", "12:30", "13:00")] == [
        True, False, True,
    ]


def test_hotline_hours_past_midnight_wrap_round():
    hours = settings.parse_hours("22:00-02:00")
    assert [hours.contains(at(clock)) for clock in ("21:59", "23:00", "01:59", "02:00")] == [
        False, True, True, False,
    ]


def test_round_the_clock_hours_hold_every_moment():
    hours = settings.parse_hours("00:00-24:00")
    assert hours.contains(at("00:00")) and hours.contains(at("23:59:59"))


@pytest.mark.parametrize("setting", ["8-20", "08:00-08:00", "08:00-25:00", "08:00-20:00,x"])
def test_a_malformed_hours_setting_is_refused(setting):
    with pytest.raises(ValueError):
        settings.parse_hours(setting)


def test_the_configured_hours_decide_the_flag(settings_changed):
    settings_changed("calls", hotline_hours=settings.parse_hours("09:00-17:00"))
    call = make_call(queued=at("08:30"))
    assert call.within_hotline_hours is False


def test_answered_before_it_came_in_is_an_error_on_answered_at():
    values = draft(queued=at("09:00"), answered_at=at("08:59"))
    assert list(problems_of(values)) == ["answered_at"]


def test_ended_before_it_came_in_is_an_error_on_ended_at():
    values = draft(queued=at("09:00"), outcome="missed", ended_at=at("08:00"))
    assert list(problems_of(values)) == ["ended_at"]


def test_ended_before_it_was_answered_is_an_error_on_ended_at():
    values = draft(queued=at("09:00"), answered_at=at("09:01"), ended_at=at("09:00:30"))
    assert list(problems_of(values)) == ["ended_at"]


def test_an_answered_call_without_an_answer_time_is_an_error_on_answered_at():
    values = draft(queued=at("09:00"), answered_at=None)
    assert list(problems_of(values)) == ["answered_at"]


def test_a_missed_call_with_an_answer_time_is_an_error_on_answered_at():
    values = draft(
        queued=at("09:00"), outcome="missed", answered_at=at("09:01"), ended_at=at("09:05")
    )
    assert list(problems_of(values)) == ["answered_at"]


def test_an_unanswered_call_needs_its_end_time():
    values = draft(queued=at("09:00"), outcome="missed", ended_at=None)
    assert list(problems_of(values)) == ["ended_at"]


def test_an_outbound_call_cannot_be_abandoned():
    values = draft(direction="outbound", outcome="abandoned")
    assert list(problems_of(values)) == ["outcome"]


def test_a_call_in_the_future_is_refused():
    soon = utcnow() + timedelta(hours=1)
    values = draft(queued=soon)
    assert list(problems_of(values)) == ["queued_at"]


def test_a_time_without_a_zone_is_a_field_error_not_a_crash():
    values = draft(
        queued=datetime(2026, 1, 5, 9, 0), answered_at=datetime(2026, 1, 5, 9, 1), ended_at=None
    )
    assert set(problems_of(values)) == {"queued_at", "answered_at"}


def test_every_bad_field_is_reported_at_once():
    values = draft(number="12345", outcome="lost")
    assert set(problems_of(values)) == {"caller_number", "outcome"}


def test_an_unknown_agent_is_an_error_on_agent_id():
    values = draft(agent_id=999)
    assert list(problems_of(values)) == ["agent_id"]


def test_a_refused_call_writes_nothing():
    problems_of(draft(answered_at=at("08:00")))
    db.session.commit()
    audited = select(func.count()).select_from(AuditEntry).where(
        AuditEntry.record_type == "calls"
    )
    assert db.session.scalar(audited) == 0


def test_a_logged_call_is_in_the_audit_trail_with_its_computed_fields():
    call = make_call(wait=12)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.record_type == "calls"))
    assert (entry.record_id, entry.action) == (str(call.id), "create")
    assert '"wait_seconds":12' in entry.after_json


def test_times_are_stored_in_utc():
    call = make_call(queued=at("09:00"))
    db.session.expire_all()
    assert db.session.get(type(call), call.id).queued_at.tzinfo == UTC


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+86 139-1234-5678", "13912345678"), ("8613912345678", "13912345678"),
     ("010-6234 5678", "01062345678"), ("+86 10 62345678", "01062345678"),
     ("(0755) 86001234", "075586001234")],
)
def test_numbers_are_stored_as_digits(typed, stored):
    assert make_call(number=typed).caller_number == stored


def test_a_number_typed_by_hand_must_be_a_chinese_phone_number():
    assert list(problems_of(draft(number="12345"))) == ["caller_number"]


def test_an_unusual_number_from_a_call_centre_is_kept_as_digits():
    call = services.log_call(db.session, draft(number="400-820-8820"), strict_number=False)
    assert call.caller_number == "4008208820"


def test_the_customer_is_matched_by_mobile_number():
    customer = make_customer(phone="13812345678")
    assert make_call(number="+86 138 1234 5678").customer_id == customer.id


def test_the_customer_is_matched_when_their_landline_is_stored_with_a_dash():
    customer = make_customer(phone="010-62345678")
    assert make_call(number="01062345678").customer_id == customer.id


def test_an_unknown_number_has_no_customer():
    make_customer(phone="13812345678")
    assert make_call(number="13812345679").customer_id is None


def test_a_number_two_customers_share_goes_to_the_newer_one():
    make_customer(name="张伟", phone="13812345678")
    newer = make_customer(name="张伟（新）", phone="13812345678")
    assert make_call(number="13812345678").customer_id == newer.id


def test_the_agent_is_recorded():
    agent = make_user("agent")
    assert make_call(agent_id=agent.id).agent_id == agent.id


def test_an_aware_time_in_another_zone_is_the_same_moment():
    call = make_call(queued=datetime(2026, 1, 5, 1, 0, tzinfo=UTC))  # 09:00 in Beijing
    assert call.within_hotline_hours is True
