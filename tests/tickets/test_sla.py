"""SLA clocks on work orders: business time for response and resolution (weekends,
public holidays, make-up working days and waiting excluded), clock time for emergency
arrival. Times below are Asia/Shanghai."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftersales.extensions import db
from aftersales.tickets import services
from aftersales.tickets.services import Move
from tests.factories import make_ticket, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class Clock:
    def __init__(self, monkeypatch, start: str):
        self.now = local(start)
        monkeypatch.setattr(services, "utcnow", lambda: self.now)

    def set(self, text: str) -> None:
        self.now = local(text)


@pytest.fixture
def people():
    return make_user("dispatcher"), make_user("technician")


def walk(ticket, clock, people, steps):
    dispatcher, technician = people
    for at, to_state in steps:
        clock.set(at)
        services.move_ticket(
            db.session, ticket, Move(to_state, technician_id=technician.id), dispatcher, True
        )
    db.session.commit()
    return ticket


def test_a_normal_repair_reported_friday_afternoon_is_due_after_the_weekend(monkeypatch):
    Clock(monkeypatch, "2026-11-20 16:00")  # a Friday
    ticket = make_ticket(received_at=local("2026-11-20 16:00"))
    # 4 business hours: 16:00-18:00 Friday, then 09:00-11:00 Monday.
    assert ticket.response_due_at == local("2026-11-23 11:00")


def test_the_national_day_holiday_does_not_count(monkeypatch):
    Clock(monkeypatch, "2026-09-30 17:00")
    ticket = make_ticket(received_at=local("2026-09-30 17:00"))
    # 1 hour on 30 September, then nothing until Thursday 8 October (1-7 October are off).
    assert ticket.response_due_at == local("2026-10-08 12:00")


def test_a_make_up_working_day_counts(monkeypatch):
    Clock(monkeypatch, "2026-10-09 17:00")  # Friday; Saturday 10 October is a working day
    ticket = make_ticket(received_at=local("2026-10-09 17:00"))
    assert ticket.response_due_at == local("2026-10-10 12:00")


def test_an_emergency_must_be_reached_within_two_clock_hours_even_at_night(monkeypatch):
    Clock(monkeypatch, "2026-11-21 23:00")  # a Saturday night
    ticket = make_ticket(priority="emergency", received_at=local("2026-11-21 23:00"))
    assert ticket.arrival_due_at == local("2026-11-22 01:00")


def test_an_arrival_by_the_desk_alone_does_not_decide_the_emergency_target(monkeypatch, people):
    clock = Clock(monkeypatch, "2026-11-21 23:00")
    ticket = make_ticket(priority="emergency", received_at=local("2026-11-21 23:00"))
    walk(ticket, clock, people, [("2026-11-21 23:05", "assigned"),
                                 ("2026-11-21 23:06", "dispatched"),
                                 ("2026-11-22 00:50", "on_site")])
    # Only a verified GPS arrival meets it (tests/tickets/test_gps_sla.py).
    assert (ticket.arrival_met, ticket.arrived_at) == (None, local("2026-11-22 00:50"))


def test_the_first_step_out_of_new_is_the_response(monkeypatch, people):
    clock = Clock(monkeypatch, "2026-11-23 09:00")
    ticket = make_ticket(received_at=local("2026-11-23 09:00"))
    walk(ticket, clock, people, [("2026-11-23 14:30", "assigned")])
    # 09:00-12:00 + 13:30-14:30 = 4 business hours: exactly on target.
    assert ticket.response_met is True


def test_waiting_for_parts_stops_the_resolution_clock(monkeypatch, people):
    clock = Clock(monkeypatch, "2026-11-23 09:00")  # Monday
    ticket = make_ticket(received_at=local("2026-11-23 09:00"))
    # Target 22.5 business hours = 3 business days; the work takes 4 days, 2 of them waiting.
    walk(ticket, clock, people, [("2026-11-23 10:00", "assigned"),
                                 ("2026-11-23 10:30", "dispatched"),
                                 ("2026-11-23 14:00", "on_site"),
                                 ("2026-11-23 15:00", "waiting_parts"),
                                 ("2026-11-25 15:00", "on_site"),
                                 ("2026-11-26 12:00", "resolved")])
    assert ticket.resolution_met is True
    # Worked 09:00-15:00 Mon (4.5 h) + 15:00 Wed-12:00 Thu (3 + 3 h) = 10.5 h, 12 h early.
    assert ticket.resolution_variance_seconds == -12 * 3600


def test_without_the_pause_the_same_dates_fail_the_target(monkeypatch, people):
    clock = Clock(monkeypatch, "2026-11-23 09:00")
    ticket = make_ticket(received_at=local("2026-11-23 09:00"))
    walk(ticket, clock, people, [("2026-11-23 10:00", "assigned"),
                                 ("2026-11-23 10:30", "dispatched"),
                                 ("2026-11-23 14:00", "on_site"),
                                 ("2026-11-27 12:00", "resolved")])
    assert ticket.resolution_met is False
    # Four full days (4 x 7.5 h) and Friday morning (3 h) = 33 h: 10.5 h late.
    assert ticket.resolution_variance_seconds == int(10.5 * 3600)


def test_resuming_after_a_pause_moves_the_resolution_due_time(monkeypatch, people):
    clock = Clock(monkeypatch, "2026-11-23 09:00")
    ticket = make_ticket(received_at=local("2026-11-23 09:00"))
    before = ticket.resolution_due_at
    walk(ticket, clock, people, [("2026-11-23 10:00", "assigned"),
                                 ("2026-11-23 10:30", "dispatched"),
                                 ("2026-11-23 11:00", "on_site"),
                                 ("2026-11-23 11:00", "waiting_customer"),
                                 ("2026-11-24 11:00", "on_site")])
    assert ticket.resolution_due_at - before == timedelta(days=1)


def test_a_report_cannot_be_dated_in_the_future(monkeypatch):
    from aftersales.core.errors import ValidationFailed

    Clock(monkeypatch, "2026-11-23 09:00")
    with pytest.raises(ValidationFailed) as refused:
        make_ticket(received_at=local("2026-11-23 10:00"))
    assert refused.value.field == "received_at"
