"""The spare-parts page in a real browser, on a desk and on a phone: the ledger, a receipt
and a transfer to another outlet."""

import pytest

from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets import stock
from tests.e2e.conftest import sign_in
from tests.factories import make_outlet, make_product, make_user


@pytest.fixture
def two_outlets():
    """Two outlets of one desk; the first has three thermostats."""
    here, there = make_outlet(name="朝阳网点"), make_outlet(name="海淀网点")
    part = customer_services.create_part(db.session, make_product().id, "P-9", "温控器",
                                         "main", 12000)
    desk = make_user("dispatcher", username="desk")
    stock.receive_stock(db.session, here.id, part.id, 3, desk, note="首批")
    db.session.commit()
    return here, there, part


def _receive_and_transfer(page, here, there, part):
    sign_in(page, "desk")
    page.goto(f"/stock?outlet_id={here.id}")
    assert page.locator("#ledger tbody tr").count() == 1
    assert "+3" in page.locator("#ledger tbody tr").first.inner_text()

    page.select_option("#f-part_id", str(part.id))
    page.fill("#f-quantity", "4")
    page.click("#book button[type=submit]")
    page.wait_for_url(f"**/stock?outlet_id={here.id}")
    assert "7" in page.locator("#on-hand + .table-wrap tbody tr").first.inner_text()

    page.click("#book a[href*='action=transfer']")
    page.select_option("#f-part_id", str(part.id))
    page.fill("#f-quantity", "2")
    page.select_option("#f-to_outlet_id", str(there.id))
    page.click("#book button[type=submit]")
    page.wait_for_url(f"**/stock?outlet_id={here.id}")
    newest = page.locator("#ledger tbody tr").first.inner_text()
    assert "-2" in newest and "海淀网点" in newest
    assert stock.stock_on_hand(db.session, there.id, part.id) == 2


def test_the_desk_receives_and_transfers_parts(page, two_outlets):
    _receive_and_transfer(page, *two_outlets)


def test_on_a_phone_the_ledger_fits_and_the_forms_work(phone, two_outlets):
    _receive_and_transfer(phone, *two_outlets)
    overflow = phone.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390
