"""The customer's anti-counterfeit check on a phone, opened from the QR code's address:
a genuine code and a fake one, with no account and no staff menu."""

from playwright.sync_api import expect

from aftersales.extensions import db
from tests.factories import make_customer, make_product, make_serial


def test_a_customer_checks_a_genuine_and_a_fake_code_on_a_phone(phone):
    unit = make_serial(serial="KT0002", product=make_product(), customer=make_customer())
    db.session.commit()
    phone.goto(f"/portal/verify?code={unit.verification_code}")
    expect(phone.locator("#verdict")).to_contain_text("正品")
    expect(phone.locator("nav.nav")).to_have_count(0)
    phone.fill("#f-code", "FAKE-0002")
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("#verdict")).to_contain_text("未查到")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
