"""Never silently wrong: while a year clocks count on is unknown, admins and managers are
told on their home page and on the compliance dashboard, and admins once a week."""

from datetime import date

import pytest
from sqlalchemy import select

from aftersales.calendar import jobs, services
from aftersales.extensions import db
from aftersales.notifications.models import Notification
from tests.evidence.factories import snapshot
from tests.factories import make_user

NOTICE_ZH = "2027 年节假日安排未录入"


@pytest.fixture(autouse=True)
def december_2026(monkeypatch):
    monkeypatch.setattr(services, "local_today", lambda: date(2026, 12, 3))


def enter_2027():
    services.replace_year(db.session, 2027, [services.DayEntry(date(2027, 1, 1), "holiday",
                                                               "元旦")])
    db.session.commit()


def home(client, sign_in, role):
    make_user(role, username=f"{role}1")
    sign_in(f"{role}1")
    return client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["admin", "manager"])
def test_admins_and_managers_see_the_notice_on_their_home_page(client, sign_in, role):
    assert NOTICE_ZH in home(client, sign_in, role)


def test_an_agent_is_not_shown_the_notice(client, sign_in):
    assert NOTICE_ZH not in home(client, sign_in, "agent")


def test_the_notice_goes_once_the_year_is_entered(client, sign_in):
    enter_2027()
    assert NOTICE_ZH not in home(client, sign_in, "admin")


def test_next_year_is_not_asked_for_before_november(monkeypatch):
    monkeypatch.setattr(services, "local_today", lambda: date(2026, 10, 31))
    assert services.years_missing(db.session) == []


def test_the_compliance_dashboard_carries_the_notice_for_an_auditor(client, sign_in):
    snapshot()
    make_user("auditor", username="auditor1")
    sign_in("auditor1")
    assert NOTICE_ZH in client.get("/evidence").get_data(as_text=True)


def test_admins_are_notified_once_a_week(client):
    admin = make_user("admin")
    make_user("manager")
    assert jobs.remind_missing_schedule(db.session, date(2026, 12, 3)) == 1
    assert jobs.remind_missing_schedule(db.session, date(2026, 12, 4)) == 0  # same week
    assert jobs.remind_missing_schedule(db.session, date(2026, 12, 7)) == 1  # next week
    subjects = db.session.scalars(select(Notification.subject)
                                  .where(Notification.user_id == admin.id)).all()
    assert subjects == [f"{NOTICE_ZH}：按周一至周五计算工作时限。"] * 2


def test_no_reminder_once_the_year_is_entered():
    make_user("admin")
    enter_2027()
    assert jobs.remind_missing_schedule(db.session, date(2026, 12, 3)) == 0
