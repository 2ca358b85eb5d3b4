"""The agent's whole job at the desk, on a desk and on a phone: a first-time caller gets a
customer record and their unit, the call is logged with its work order at the outlet shown,
the complaint names that work order as the page displays it; and the serial check. Each
page is reached from the menu and the pages' own links, and none shows an internal
identifier."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from aftersales.complaints.models import Complaint
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.e2e.conftest import internal_identifiers, open_from_menu, sign_in
from tests.factories import home_outlet, make_product, make_user


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_an_agent_takes_a_first_time_callers_repair_and_complaint(request, screen):
    browser_page = request.getfixturevalue(screen)
    outlet = home_outlet()
    product = make_product(model_code="KFR-35GW")
    make_user("agent", username="zhangmin")
    sign_in(browser_page, "zhangmin")

    open_from_menu(browser_page, "/calls/console")
    browser_page.fill("#f-number", "13900003333")
    browser_page.locator("form[role=search] button[type=submit]").click()
    assert internal_identifiers(browser_page) == []
    browser_page.locator('a[href^="/customers/new"]').click()
    expect(browser_page.locator("#f-phone")).to_have_value("13900003333")
    assert internal_identifiers(browser_page) == []
    browser_page.fill("#f-name", "韩梅梅")
    browser_page.fill("#f-province", "北京市")
    browser_page.fill("#f-city", "北京市")
    browser_page.fill("#f-district", "朝阳区")
    browser_page.fill("#f-address", "建国路1号")
    browser_page.select_option("#f-product_id", str(product.id))
    browser_page.fill("#f-serial", "AC2601000030001")
    browser_page.fill("#f-sold_on", "2026-03-31")
    browser_page.locator("main form[method=post] button.primary").click()

    expect(browser_page.locator("#f-customer_id option:checked")).to_contain_text("韩梅梅")
    expect(browser_page.locator("#f-outlet_id option:checked")).to_contain_text(outlet.name)
    assert internal_identifiers(browser_page) == []
    browser_page.select_option("#f-serial", "AC2601000030001")
    browser_page.fill("#f-description", "空调不制冷")
    browser_page.locator("main form[method=post] button.primary").click()
    expect(browser_page.locator("h1")).to_contain_text("WO")
    assert internal_identifiers(browser_page) == []
    ticket = db.session.scalars(select(Ticket)).one()
    assert ticket.outlet_id == outlet.id

    open_from_menu(browser_page, "/complaints")
    browser_page.locator("nav.tabs a[href='/complaints/new']").click()
    browser_page.fill("#f-customer_q", "13900003333")
    browser_page.locator("main form[method=get] button[type=submit]").click()
    browser_page.locator("ul.pick a", has_text="韩梅梅").click()
    assert internal_identifiers(browser_page) == []
    browser_page.fill("#f-summary", "维修太慢")
    browser_page.fill("#f-description", "三天没人来")
    browser_page.fill("#f-ticket_id", ticket.number)
    browser_page.get_by_role("button", name="登记投诉").click()
    expect(browser_page.locator(".facts")).to_be_visible()
    expect(browser_page.locator(".facts")).to_contain_text(ticket.number)
    assert internal_identifiers(browser_page) == []
    assert db.session.scalar(select(Complaint.ticket_id)) == ticket.id

    open_from_menu(browser_page, "/customers/serial-check")
    browser_page.fill("#f-code", "ac2601000030001")
    browser_page.locator("form[role=search] button[type=submit]").click()
    expect(browser_page.locator(".serial-verdict.genuine")).to_contain_text("KFR-35GW")
    assert internal_identifiers(browser_page) == []
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert browser_page.evaluate(no_sideways_scroll)
