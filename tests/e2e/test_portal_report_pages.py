"""Reporting a fault on a phone, opened from the QR code on the product: the serial is
filled in, a photo and a visit window go with the report, the confirmation names the work
order, and the dispatcher of the outlet covering the address sees it with its window."""

import io
import re

import PIL.Image
from playwright.sync_api import expect

from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.e2e.conftest import sign_in
from tests.factories import (
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_slots,
    make_user,
)


def _photo(tmp_path):
    written = io.BytesIO()
    PIL.Image.new("RGB", (640, 480), "orange").save(written, "JPEG")
    path = tmp_path / "fault.jpg"
    path.write_bytes(written.getvalue())
    return str(path)


def test_a_customer_reports_from_the_qr_code_and_the_outlet_desk_sees_it(phone, page,
                                                                          tmp_path):
    make_outlet("BJ-02")
    shanghai = make_outlet("SH-02", province="上海市", city="上海市", latitude="31.230400",
                           longitude="121.473700", region_code="310100")
    make_slots(shanghai)
    unit = make_serial(serial="KT0420", product=make_product(), customer=make_customer(
        phone="13900004200"))
    make_user("dispatcher", username="sh_dispatch", outlet_id=shanghai.id)

    phone.goto(f"/portal/report?serial={unit.serial}")
    expect(phone.locator("#f-serial")).to_have_value("KT0420")
    phone.fill("#f-province", "上海市")
    phone.fill("#f-city", "上海市")
    phone.fill("#f-address", "浦东新区世纪大道100号")
    phone.locator("#where-form button[type=submit]").click()
    expect(phone.locator("#outlet")).to_have_text(shanghai.name)
    phone.fill("#f-description", "空调不制冷，有异响")
    phone.fill("#f-name", "李雷")
    phone.fill("#f-phone", "13900004200")
    phone.set_input_files("#f-photos", _photo(tmp_path))
    phone.locator("#windows input[type=radio]").nth(1).check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator("#report-form button[type=submit]").click()
    number = phone.locator("#work-order-number")
    expect(number).to_have_text(re.compile(r"WO\d{8}"))
    expect(phone.locator("#booked-window")).to_be_visible()
    ticket_id = int(number.inner_text()[2:])

    sign_in(page, "sh_dispatch")
    page.goto(f"/tickets/{ticket_id}")
    expect(page.locator("#serial")).to_have_text("KT0420")
    expect(page.locator("#window")).to_be_visible()
    expect(page.locator("#photos img")).to_have_count(1)
    expect(page.locator("#channel")).to_be_visible()
    assert db.session.get(Ticket, ticket_id).channel == "portal"
