"""An admin reads the messages sent to customers, at a desk and on a phone."""

import pytest
from playwright.sync_api import expect

from aftersales.extensions import db
from aftersales.messaging import services
from aftersales.messaging.labels import Channel
from tests.e2e.conftest import internal_identifiers, open_from_menu, sign_in
from tests.factories import make_customer, make_user


def queue_two_messages():
    customer = make_customer(phone="13912345678")
    services.send(db.session, template="work_order_received",
                  values={"number": "WO-2026-0042"}, channel=Channel.SMS, essential=True,
                  customer_id=customer.id)
    services.send(db.session, template="engineer_on_the_way",
                  values={"number": "WO-2026-0042", "engineer": "赵强"},
                  channel=Channel.EMAIL, essential=True, customer_id=customer.id,
                  address="wang.fang@example.com")
    db.session.commit()


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_an_admin_finds_a_customers_sms_in_the_outbox_masked(screen, request):
    browser_page = request.getfixturevalue(screen)
    queue_two_messages()
    make_user("admin", username="admin1")
    sign_in(browser_page, "admin1")
    open_from_menu(browser_page, "/messaging/outbox")
    rows = browser_page.locator("#outbox tbody tr")
    expect(rows).to_have_count(2)
    browser_page.select_option("select[name=channel]", "sms")
    browser_page.click("form.filters button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("139****5678")
    expect(rows.first).to_contain_text("WO-2026-0042")
    assert internal_identifiers(browser_page) == []
    assert browser_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
