"""The admin keeps the business calendar in a browser, at a desk and on a phone."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from aftersales.calendar import services
from aftersales.calendar.models import CalendarDay
from aftersales.core import calendar
from aftersales.extensions import db
from tests.e2e.conftest import sign_in
from tests.factories import make_ticket, make_user

DAYS = [("2027-02-06", "holiday", "春节"), ("2027-02-07", "holiday", "春节"),
        ("2027-02-14", "workday", "春节调休")]


@pytest.fixture(autouse=True)
def december_2026_and_2027_unknown(monkeypatch):
    monkeypatch.setattr(services, "local_today", lambda: date(2026, 12, 3))
    monkeypatch.setattr(calendar, "PACKAGE_YEARS",
                        frozenset(year for year in calendar.PACKAGE_YEARS if year <= 2026))


def enter_three_days(page):
    rows = page.locator("#year-form table.cal-table tbody tr")
    for index, (day, kind, name) in enumerate(DAYS):
        row = rows.nth(index)
        row.locator("input[name$='.day']").fill(day)
        row.locator("select[name$='.kind']").select_option(kind)
        row.locator("input[name$='.name']").fill(name)
    page.click("#year-form button.primary")


def stored_days():
    db.session.rollback()  # read what the server committed
    return db.session.execute(select(CalendarDay.day, CalendarDay.kind)
                              .order_by(CalendarDay.day)).all()


def test_the_admin_follows_the_notice_and_enters_three_days(page):
    make_user("admin", username="wangfang")
    sign_in(page, "wangfang")
    page.goto("/")
    notice = page.locator(".page-notice")
    expect(notice).to_contain_text("2027 年节假日安排未录入")
    notice.locator("a").click()
    expect(page.locator("h1")).to_contain_text("2027")
    expect(page.locator("#year-source")).to_contain_text("未知")
    enter_three_days(page)
    expect(page.locator(".flash-success")).to_contain_text("2027")
    expect(page.locator("#year-source strong")).to_have_text("企业已录入")
    assert stored_days() == [(date(2027, 2, 6), "holiday"), (date(2027, 2, 7), "holiday"),
                             (date(2027, 2, 14), "workday")]
    page.goto("/")
    expect(page.locator(".page-notice")).to_have_count(0)


def test_the_admin_enters_three_days_on_a_phone(phone):
    make_user("admin", username="wangfang")
    sign_in(phone, "wangfang")
    phone.goto("/calendar/2027")
    enter_three_days(phone)
    expect(phone.locator(".flash-success")).to_be_visible()
    assert len(stored_days()) == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_mistake_is_shown_beside_the_day_and_nothing_is_saved(page):
    make_user("admin", username="wangfang")
    sign_in(page, "wangfang")
    page.goto("/calendar/2027")
    row = page.locator("#year-form table.cal-table tbody tr").first
    row.locator("input[name$='.day']").fill("2027-02-06")
    page.click("#year-form button.primary")  # no name
    expect(page.locator("#e-name-0")).to_be_visible()
    assert stored_days() == []


def test_the_working_hours_page_refuses_overlapping_windows(page):
    make_user("admin", username="wangfang")
    sign_in(page, "wangfang")
    page.goto("/calendar/hours")
    page.fill("#f-workday", "09:00-12:00,11:00-18:00")
    page.click("#hours-form button.primary")
    expect(page.locator("#e-workday")).to_contain_text("重叠")


def test_a_work_order_over_an_unknown_year_says_its_clock_is_guessed(page):
    received = datetime(2027, 2, 5, 8, 0, tzinfo=UTC)
    ticket = make_ticket(received_at=received, now=received)
    make_user("dispatcher", username="zhaolei")
    sign_in(page, "zhaolei")
    page.goto(f"/tickets/{ticket.id}")
    expect(page.locator("#calendar-guessed")).to_be_visible()
