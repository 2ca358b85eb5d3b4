"""A customer complains from their phone, and the complaint handler finds it in the queue."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from aftersales.complaints.models import Complaint
from aftersales.extensions import db
from tests.e2e.conftest import sign_in
from tests.factories import make_user


def test_a_complaint_from_the_portal_reaches_the_handlers_queue(phone):
    make_user("complaint_handler", username="sunli")
    phone.goto("/portal/complain")
    expect(phone.locator("nav.nav")).to_have_count(0)
    phone.fill("#f-name", "李雷")
    phone.fill("#f-phone", "13900001111")
    phone.select_option("#f-category", "service_attitude")
    phone.fill("#f-description", "师傅迟到两小时，态度很差。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator("#complain-form button[type=submit]").click()
    number = phone.locator("#complaint-number")
    expect(number).to_have_text(re.compile(r"^TS\d{8}$"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    db.session.rollback()  # see what the live server committed
    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.channel == "portal" and number.inner_text() == complaint.number
    sign_in(phone, "sunli")
    phone.goto("/complaints")
    expect(phone.locator(f"#complaint-{complaint.id}")).to_contain_text("师傅迟到两小时")
