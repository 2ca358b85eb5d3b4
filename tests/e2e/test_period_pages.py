from decimal import Decimal

from playwright.sync_api import expect

from aftersales.core.audit import Actor
from aftersales.evidence.audit import freezing, verify_package
from aftersales.extensions import db
from tests.e2e.conftest import download_the_built_package, run_job, sign_in
from tests.evidence.factories import days_ago
from tests.evidence.package_factories import freeze, tickets_in_two_outlets
from tests.factories import make_user


def test_a_manager_freezes_a_period_exports_it_and_downloads_a_package_that_verifies(
        page, app, tmp_path):
    make_user("manager", username="lijing")
    tickets_in_two_outlets(4)
    sign_in(page, "lijing")
    page.goto("/evidence/periods")
    page.fill("#f-from", str(days_ago(30)))
    page.fill("#f-to", str(days_ago(1)))
    page.click("form[action='/evidence/periods'] button[type=submit]")
    expect(page.locator(".ev-freeze")).to_have_attribute("data-status", "queued")
    run_job(app, "evidence.freeze_periods")
    section = page.locator("section.ev-period").first  # the page follows the freeze
    expect(section.locator("h2")).to_have_text(f"{days_ago(30)} – {days_ago(1)}",
                                               timeout=15000)
    expect(page.locator(".ev-freeze")).to_have_count(0)
    section.get_by_role("button", name="导出证据包").click()
    expect(page.locator(".ev-export progress")).to_be_visible()
    expect(page.locator(".ev-export .badge")).to_have_text("排队中")
    saved = download_the_built_package(page, app, tmp_path)
    result = verify_package.verify(saved)
    assert result.problems == []
    assert page.locator("#key-fingerprint").inner_text() == result.fingerprint


def test_a_queued_export_is_cancelled_from_the_page(page):
    make_user("auditor", username="wangmin")
    freeze()
    sign_in(page, "wangmin")
    page.goto("/evidence/periods")
    expect(page.locator("form[action='/evidence/periods']")).to_have_count(0)
    page.get_by_role("button", name="导出证据包").click()
    page.locator(".ev-export").get_by_role("button", name="取消").click()
    expect(page.locator(".ev-export .badge").first).to_have_text("已取消")


def test_the_periods_page_fits_a_phone(phone):
    manager = make_user("manager", username="lijing")
    freeze()
    freezing.request_freeze(db.session, Actor(manager.id, manager.username), days_ago(60),
                            days_ago(31), Decimal("0.1"), None)
    db.session.commit()
    sign_in(phone, "lijing")
    phone.goto("/evidence/periods")
    expect(phone.locator("section.ev-period")).to_be_visible()
    expect(phone.locator("section.ev-freeze")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
