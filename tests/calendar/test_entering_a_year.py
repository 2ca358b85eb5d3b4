"""The issue's promise, end to end: before next year's schedule is entered the notice shows
and a clock over it is marked as guessed; once an admin enters it (on the page, or with
the import command) the clock skips the festival and the notice goes."""

from datetime import UTC, date, datetime

import pytest

from aftersales.calendar import services
from aftersales.extensions import db
from tests.calendar.test_cli import SPRING_2027, import_text
from tests.calendar.test_pages import post_year
from tests.factories import make_ticket, make_user

FRIDAY_4PM = datetime(2027, 2, 5, 8, 0, tzinfo=UTC)  # Friday 5 February 2027, 16:00 Beijing
NOTICE_ZH = "2027 年节假日安排未录入"


@pytest.fixture(autouse=True)
def december_2026(monkeypatch):
    monkeypatch.setattr(services, "local_today", lambda: date(2026, 12, 3))


@pytest.fixture
def ticket():
    # A normal repair: 4 business hours to respond, 22.5 to resolve (7.5-hour days).
    return make_ticket(received_at=FRIDAY_4PM, now=FRIDAY_4PM)


@pytest.fixture
def admin(client, sign_in):
    make_user("admin", username="admin1")
    sign_in("admin1")
    return client


def test_before_the_year_is_entered_the_clock_is_guessed_and_the_notice_shows(admin, ticket):
    # Counted Monday to Friday: Friday 2 h, Monday 8 and Tuesday 9 Feb 7.5 h each, then
    # Wednesday 10 Feb 09:00-12:00 and 13:30-16:00.
    assert ticket.resolution_due_at == datetime(2027, 2, 10, 8, 0, tzinfo=UTC)
    assert ticket.calendar_guessed
    assert NOTICE_ZH in admin.get("/").get_data(as_text=True)
    assert 'id="calendar-guessed"' in admin.get(f"/tickets/{ticket.id}").get_data(as_text=True)


def assert_the_festival_is_skipped(ticket):
    db.session.refresh(ticket)
    # Friday 2 h; 6-12 Feb holidays, Saturday 13th off, make-up Sunday 14th 7.5 h,
    # Monday 15th 7.5 h, Tuesday 16th 09:00-12:00 and 13:30-16:00.
    assert ticket.resolution_due_at == datetime(2027, 2, 16, 8, 0, tzinfo=UTC)
    # The 4-hour response: Friday 2 h, then the make-up Sunday 09:00-11:00.
    assert ticket.response_due_at == datetime(2027, 2, 14, 3, 0, tzinfo=UTC)
    assert not ticket.calendar_guessed


def test_entered_on_the_page_the_clock_skips_the_spring_festival(admin, ticket):
    rows = [line.split(",") for line in SPRING_2027.splitlines()[1:]]
    assert post_year(admin, 2027, rows).status_code == 302
    assert_the_festival_is_skipped(ticket)
    page = admin.get("/").get_data(as_text=True)
    assert NOTICE_ZH not in page
    assert 'id="calendar-guessed"' not in admin.get(f"/tickets/{ticket.id}").get_data(
        as_text=True)


def test_entered_by_the_import_command_the_clock_skips_the_spring_festival(app, admin, ticket,
                                                                        tmp_path):
    assert import_text(app, tmp_path, SPRING_2027).exit_code == 0
    assert_the_festival_is_skipped(ticket)
    assert NOTICE_ZH not in admin.get("/").get_data(as_text=True)


def test_the_recomputed_due_time_is_in_the_audit_trail(admin, ticket):
    from sqlalchemy import select

    from aftersales.core.models import AuditEntry

    post_year(admin, 2027, [line.split(",") for line in SPRING_2027.splitlines()[1:]])
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.record_type == "tickets", AuditEntry.record_id == str(ticket.id))).all()
    assert "calendar_recompute" in actions
