"""A trainer's job from sign-in, with no API call in between, on a desk and on a phone: the
home page counts a technician's certificate about to lapse, the overview names the holder,
the trainer records the renewed certificate on the staff record, and the count goes to zero
(a renewed certificate is nobody's to chase)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from aftersales.core.clock import local_today
from aftersales.extensions import db
from aftersales.training.models import Certificate
from tests.e2e.conftest import internal_identifiers, sign_in
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
