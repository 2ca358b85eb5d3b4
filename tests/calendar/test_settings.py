"""Working hours and work-order targets are settings parsed once, when the app starts: a
mistake stops the start with the setting and the reason named."""

from datetime import UTC, datetime, timedelta

import pytest

from aftersales import create_app
from aftersales.calendar import settings as calendar_settings
from aftersales.tickets import sla
from tests.factories import make_ticket


def start_with(**settings):
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", **settings})


def test_overlapping_working_hours_stop_the_start_naming_the_setting():
    with pytest.raises(RuntimeError, match="AFTERSALES_WORKING_HOURS: workday: .*overlapping"):
        start_with(WORKING_HOURS="workday=09:00-12:00,11:00-18:00")


def test_bad_ticket_targets_stop_the_start_naming_the_setting():
    with pytest.raises(RuntimeError, match="AFTERSALES_TICKET_TARGETS: .*priority is one of"):
        start_with(TICKET_TARGETS="urgent=1h/2h/8h")


def test_working_hours_are_parsed_once_at_the_start():
    app = start_with(WORKING_HOURS="workday=08:30-17:30")
    with app.app_context():
        hours = calendar_settings.current().working_hours
    assert hours.workday == ((8 * 60 + 30, 17 * 60 + 30),)


def test_targets_left_out_keep_their_default():
    targets = sla.parse_targets("emergency=30m/2h/4h")
    assert targets[(None, "emergency")].resolution == timedelta(hours=4)
    assert targets[("installation", "normal")].resolution == timedelta(hours=37.5)


def test_a_type_without_its_own_pair_follows_its_priority():
    targets = sla.parse_targets("maintenance.normal=2h/-/1d@clock")
    assert targets[("maintenance", "normal")] == sla.Targets(
        timedelta(hours=2), None, timedelta(days=1), "clock")


@pytest.mark.parametrize(("text", "reason"), [
    ("normal=4h/-", "is not"),
    ("normal=0h/-/22.5h", "positive duration"),
    ("laundry.normal=4h/-/8h", "type is one of"),
    ("normal=4h/-/8h@lunar", "@business or @clock"),
])
def test_a_malformed_target_is_refused_with_its_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        sla.parse_targets(text)


def test_configured_targets_change_the_due_time_of_a_new_work_order(settings_changed):
    received = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 Beijing
    settings_changed("tickets", targets=sla.parse_targets("normal=2h/-/10h@clock"))
    ticket = make_ticket(received_at=received, now=received)
    assert ticket.response_due_at == received + timedelta(hours=2)
    assert ticket.resolution_due_at == received + timedelta(hours=10)


def test_the_emergency_arrival_counts_clock_hours_even_on_a_holiday():
    received = datetime(2026, 10, 1, 15, 0, tzinfo=UTC)  # National Day, 23:00 Beijing
    ticket = make_ticket(priority="emergency", received_at=received, now=received)
    assert ticket.arrival_due_at == received + timedelta(hours=2)
