"""A trainer's job from sign-in, with no API call in between, on a desk and on a phone: the
home page counts a technician's certificate about to lapse, the overview names the holder,
the trainer records the renewed certificate on the staff record, and the count goes to zero
(a renewed certificate is nobody's to chase). And a session from the plan to the staff
record: planned, its roster taken, attendance ticked, the exam marked, and the member of
staff's training record showing the session, its hours and the mark."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from aftersales.core.clock import DEFAULT_ZONE, local_today, utcnow
from aftersales.extensions import db
from aftersales.training.models import Certificate
from tests.e2e.conftest import (
    fill_in_a_session,
    internal_identifiers,
    open_from_menu,
    sign_in,
)
from tests.factories import make_user
from tests.training.factories import make_certificate, make_staff


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_trainer_renews_a_certificate_about_to_lapse(screen, request):
    browser_page = request.getfixturevalue(screen)
    today = local_today()
    holder = make_staff(name="赵强", employee_no="E20001")
    make_certificate(holder, type="electrician", issued_on=today - timedelta(days=3 * 365),
                     expires_on=today + timedelta(days=12))
    make_user("trainer", username="zhouting")
    db.session.commit()
    sign_in(browser_page, "zhouting")
    tile = browser_page.locator("a.work-tile", has_text="即将到期的证书")
    expect(tile.locator(".work-figure")).to_have_text("1")
    tile.click()
    browser_page.get_by_role("link", name="赵强").click()
    expect(browser_page.locator("h1")).to_contain_text("赵强")
    assert internal_identifiers(browser_page) == []
    browser_page.locator("summary", has_text="添加证书").click()
    browser_page.select_option("#f-type", "electrician")
    browser_page.fill("#f-number", "EL-2026-0042")
    browser_page.fill("#f-issuer", "北京市应急管理局")
    browser_page.fill("#f-issued_on", today.isoformat())
    browser_page.fill("#f-expires_on", (today + timedelta(days=6 * 365)).isoformat())
    browser_page.get_by_role("button", name="添加证书").last.click()
    expect(browser_page.locator(".flash")).to_contain_text("EL-2026-0042")
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= (
        390 if screen == "phone" else 1280)
    browser_page.goto("/")
    expect(tile.locator(".work-figure")).to_have_text("0")
    db.session.rollback()  # see what the live server committed
    assert db.session.query(Certificate).filter_by(number="EL-2026-0042").count() == 1


def _plan_a_session(browser_page, start):
    """From the menu to a new session of two hours with an exam, its page open."""
    open_from_menu(browser_page, "/training/")
    browser_page.locator("nav.tabs a[href='/training/sessions']").click()
    assert internal_identifiers(browser_page) == []
    browser_page.locator("a.button[href='/training/sessions/new']").click()
    fill_in_a_session(browser_page, "燃气灶安全操作", start, "北京培训中心 201", "60")
    expect(browser_page.locator("h1")).to_have_text("燃气灶安全操作")


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_trainer_takes_a_session_from_plan_to_the_staff_record(screen, request):
    browser_page = request.getfixturevalue(screen)
    make_staff(name="孙磊", employee_no="E30001")
    make_user("trainer", username="zhouting")
    db.session.commit()
    sign_in(browser_page, "zhouting")
    _plan_a_session(browser_page, (utcnow() - timedelta(hours=3)).astimezone(DEFAULT_ZONE))
    assert internal_identifiers(browser_page) == []

    browser_page.fill("#f-employee_nos", "E30001")
    browser_page.get_by_role("button", name="添加", exact=True).click()
    browser_page.get_by_role("checkbox", name="孙磊").check()
    browser_page.get_by_role("button", name="保存点名").click()
    expect(browser_page.locator("#present-count")).to_have_text("1 / 1")
    browser_page.get_by_role("textbox", name="孙磊").fill("78")
    browser_page.get_by_role("button", name="保存成绩").click()
    expect(browser_page.locator("#scores-form .t-result")).to_have_text(["合格"])
    assert internal_identifiers(browser_page) == []

    browser_page.locator("nav.tabs a[href='/training/staff']").click()
    browser_page.get_by_role("link", name="孙磊").click()
    record = browser_page.locator("tr", has_text="燃气灶安全操作")
    expect(record).to_contain_text("2.0")
    expect(record).to_contain_text("78")
    assert internal_identifiers(browser_page) == []
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= (
        390 if screen == "phone" else 1280)
