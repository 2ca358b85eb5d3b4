"""A technician on the roadside, one thumb on a phone: the work costs more than the customer
agreed to, the page says so, the customer accepts a new quote and signs, and the record
sheet they are given shows the total."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from aftersales.extensions import db
from aftersales.tickets import field_work
from tests.e2e.conftest import draw_signature, on_site_work_order, sign_in


def _paid_work_on_site():
    """Out of warranty, on site; the customer accepted ¥180 before the ¥120 thermostat and
    ¥80 labour came to ¥200."""
    ticket = on_site_work_order()
    ticket.warranty_status = "expired"
    field_work.quote(db.session, ticket, 18000)
    field_work.accept_quote(db.session, ticket)
    db.session.commit()
    return ticket


def test_a_part_over_the_quote_is_requoted_accepted_signed_and_totalled(phone):
    ticket = _paid_work_on_site()
    sign_in(phone, "zhaoqiang")
    phone.goto(f"/tickets/{ticket.id}")
    expect(phone.locator("#serial")).to_contain_text("WH0009")
    phone.get_by_role("button", name="使用配件").click()
    expect(phone.locator("#over-quote")).to_contain_text("¥20.00")  # ¥200 payable, ¥180 agreed
    expect(phone.locator("#total-payable")).to_have_text("¥200.00")

    phone.get_by_role("button", name="已解决").click()  # refused: over the agreed price
    expect(phone.locator(".form-error").first).to_be_visible()
    expect(phone.locator(".heading-row .badge")).not_to_contain_text("已解决")

    expect(phone.locator("#f-amount")).to_have_value("200.00")  # the charges, ready to quote
    phone.get_by_role("button", name="报价", exact=True).click()
    phone.get_by_role("button", name="客户确认报价").click()
    expect(phone.locator("#over-quote")).to_have_count(0)
    expect(phone.locator("#quotes li")).to_have_count(2)

    draw_signature(phone)
    phone.get_by_role("button", name="保存签名").click()
    expect(phone.locator("img.signature")).to_be_visible()
    phone.get_by_role("button", name="已解决").click()
    expect(phone.locator(".heading-row .badge")).to_contain_text("已解决")

    sheet = phone.request.get(phone.locator("#record-sheet").get_attribute("href"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.body())).pages)
    assert "Total payable" in text and "¥200.00" in text
