"""A technician on the roadside, one thumb on a phone (or back at the outlet's desk): from
their list of work orders, the work costs more than the customer agreed to, the page says
so, the customer accepts a new quote and signs, and the record sheet they are given shows
the total; no page on the way shows an internal identifier."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from aftersales.extensions import db
from aftersales.tickets import field_work
from tests.e2e.conftest import (
    draw_signature,
    internal_identifiers,
    on_site_work_order,
    open_from_menu,
    sign_in,
)


def _paid_work_on_site():
    """Out of warranty, on site; the customer accepted ¥180 before the ¥120 thermostat and
    ¥80 labour came to ¥200."""
    ticket = on_site_work_order()
    ticket.warranty_status = "expired"
    field_work.quote(db.session, ticket, 18000)
    field_work.accept_quote(db.session, ticket)
    db.session.commit()
    return ticket


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_part_over_the_quote_is_requoted_accepted_signed_and_totalled(screen, request):
    browser_page = request.getfixturevalue(screen)
    ticket = _paid_work_on_site()
    sign_in(browser_page, "zhaoqiang")
    open_from_menu(browser_page, "/tickets/mine")
    assert internal_identifiers(browser_page) == []
    browser_page.locator(f"a[href='/tickets/{ticket.id}']").first.click()
    expect(browser_page.locator("#serial")).to_contain_text("WH0009")
    assert internal_identifiers(browser_page) == []
    browser_page.get_by_role("button", name="使用配件").click()
    # ¥200 payable, ¥180 agreed
    expect(browser_page.locator("#over-quote")).to_contain_text("¥20.00")
    expect(browser_page.locator("#total-payable")).to_have_text("¥200.00")

    browser_page.get_by_role("button", name="已解决").click()  # refused: over the agreed price
    expect(browser_page.locator(".form-error").first).to_be_visible()
    expect(browser_page.locator(".heading-row .badge")).not_to_contain_text("已解决")

    expect(browser_page.locator("#f-amount")).to_have_value("200.00")  # the charges, ready to quote
    browser_page.get_by_role("button", name="报价", exact=True).click()
    browser_page.get_by_role("button", name="客户确认报价").click()
    expect(browser_page.locator("#over-quote")).to_have_count(0)
    expect(browser_page.locator("#quotes li")).to_have_count(2)

    draw_signature(browser_page)
    browser_page.get_by_role("button", name="保存签名").click()
    expect(browser_page.locator("img.signature")).to_be_visible()
    browser_page.get_by_role("button", name="已解决").click()
    expect(browser_page.locator(".heading-row .badge")).to_contain_text("已解决")
    assert internal_identifiers(browser_page) == []

    sheet = browser_page.request.get(browser_page.locator("#record-sheet").get_attribute("href"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.body())).pages)
    assert "Total payable" in text and "¥200.00" in text
