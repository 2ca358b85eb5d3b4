"""A technician on the roadside, one thumb on a phone: a part costs more than the customer
agreed to, the page says so, the customer accepts a new quote and signs, and the record
sheet they are given shows the total."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets import field_work, services
from tests.e2e.conftest import sign_in
from tests.factories import (
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_ticket,
    make_user,
)


def _paid_work_on_site():
    """Out of warranty, on site; the customer accepted ¥180 before a ¥420 compressor."""
    outlet = make_outlet()
    product = make_product()  # labour ¥80
    part = customer_services.create_part(db.session, product.id, "C-1", "压缩机", "main", 42000)
    field_work.receive_stock(db.session, outlet.id, part.id, 1, None)
    customer = make_customer(name="韩梅梅")
    make_serial(serial="WH0042", product=product, customer=customer)
    dispatcher, technician = make_user("dispatcher"), make_user("technician", username="zhaoqiang")
    ticket = make_ticket(customer=customer, serial="WH0042", outlet_id=outlet.id)
    for to_state in ("assigned", "dispatched", "on_site"):
        services.move_ticket(db.session, ticket,
                             services.Move(to_state, technician_id=technician.id), dispatcher, True)
    ticket.warranty_status = "expired"
    field_work.quote(db.session, ticket, 18000, technician)
    field_work.accept_quote(db.session, ticket)
    db.session.commit()
    return ticket


def test_a_part_over_the_quote_is_requoted_accepted_signed_and_totalled(phone):
    ticket = _paid_work_on_site()
    sign_in(phone, "zhaoqiang")
    phone.goto(f"/tickets/{ticket.id}")
    expect(phone.locator("#serial")).to_contain_text("WH0042")
    phone.get_by_role("button", name="使用配件").click()
    expect(phone.locator("#over-quote")).to_contain_text("¥320.00")  # ¥500 payable, ¥180 agreed
    expect(phone.locator("#total-payable")).to_have_text("¥500.00")

    phone.get_by_role("button", name="已解决").click()  # refused: over the agreed price
    expect(phone.locator(".form-error").first).to_be_visible()
    expect(phone.locator(".heading-row .badge")).not_to_contain_text("已解决")

    expect(phone.locator("#f-amount")).to_have_value("500.00")  # the charges, ready to quote
    phone.get_by_role("button", name="报价", exact=True).click()
    phone.get_by_role("button", name="客户确认报价").click()
    expect(phone.locator("#over-quote")).to_have_count(0)
    expect(phone.locator("#quotes li")).to_have_count(2)

    phone.locator("canvas.signature-pad").scroll_into_view_if_needed()
    pad = phone.locator("canvas.signature-pad").bounding_box()
    phone.mouse.move(pad["x"] + 20, pad["y"] + 60)
    phone.mouse.down()
    for step in range(1, 12):
        phone.mouse.move(pad["x"] + 20 + step * 20, pad["y"] + 60 + (step % 3) * 15)
    phone.mouse.up()
    phone.get_by_role("button", name="保存签名").click()
    expect(phone.locator("img.signature")).to_be_visible()
    phone.get_by_role("button", name="已解决").click()
    expect(phone.locator(".heading-row .badge")).to_contain_text("已解决")

    sheet = phone.request.get(phone.locator("#record-sheet").get_attribute("href"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.body())).pages)
    assert "Total payable" in text and "¥500.00" in text
