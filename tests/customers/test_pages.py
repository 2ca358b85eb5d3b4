"""The desk's customer pages: a first-time caller recorded with the unit they bought and
handed back to the console chosen; the anti-counterfeit check."""

from datetime import date

from sqlalchemy import select

from aftersales.customers.models import Customer, SerialNumber
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import (
    home_outlet,
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_ticket,
    make_user,
)

FIRST_CALLER = {"name": "韩梅梅", "phone": "139 0000 3333", "kind": "person",
                "province": "北京市", "city": "北京市", "district": "海淀区",
                "address": "中关村大街1号"}


def _record(client, **fields):
    token = csrf_from(client, "/customers/new?number=13900003333")
    return client.post("/customers/new", data={**FIRST_CALLER, "number": "13900003333",
                                                "csrf_token": token, **fields})


def test_the_console_offers_a_new_customer_for_an_unknown_caller(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    page = client.get("/calls/console?number=13900003333").get_data(as_text=True)
    assert 'href="/customers/new?number=13900003333"' in page


def test_a_first_time_caller_is_recorded_and_handed_back_to_the_console_chosen(
        client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = _record(client)
    assert response.status_code == 302
    customer = db.session.scalars(select(Customer)).one()
    assert customer.phone == "13900003333"
    console = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<option value="{customer.id}" selected>' in console


def test_the_unit_they_bought_is_registered_with_its_warranty(client, sign_in):
    make_user("agent", username="zhangmin")
    product = make_product(warranty_months=12)
    sign_in("zhangmin")
    response = _record(client, product_id=product.id, serial="ac2601000030001",
                       sold_on="2026-03-31")
    assert response.status_code == 302
    unit = db.session.scalars(select(SerialNumber)).one()
    assert (unit.serial, unit.warranty_expires_on) == ("AC2601000030001", date(2027, 3, 31))


def test_a_serial_without_its_model_and_day_is_refused_beside_them(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = _record(client, serial="AC2601000030001")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="e-product_id"' in body and 'id="e-sold_on"' in body
    assert db.session.scalar(select(Customer.id)) is None


def test_the_serial_check_says_a_registered_unit_is_genuine(client, sign_in):
    make_user("agent", username="zhangmin")
    product = make_product(model_code="KFR-35GW")
    make_serial(serial="AC2601000010001", product=product, customer=make_customer(name="李雷"))
    sign_in("zhangmin")
    page = client.get("/customers/serial-check?code=ac2601000010001").get_data(as_text=True)
    assert "serial-verdict genuine" in page and "KFR-35GW" in page and "李雷" in page


def test_the_serial_check_takes_the_warranty_card_code(client, sign_in):
    make_user("agent", username="zhangmin")
    unit = make_serial(serial="AC2601000010001")
    sign_in("zhangmin")
    page = client.get(f"/customers/serial-check?code={unit.verification_code}")
    assert "AC2601000010001" in page.get_data(as_text=True)


def test_the_serial_check_says_plainly_an_unknown_code_is_none_of_ours(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    page = client.get("/customers/serial-check?code=FAKE0001").get_data(as_text=True)
    assert "serial-verdict unknown" in page


def test_the_serial_check_hides_an_owner_the_agent_may_not_see(client, sign_in):
    make_user("agent", username="zhangmin", outlet_id=home_outlet().id)
    owner = make_customer(name="李雷")
    make_ticket(owner, outlet_id=make_outlet().id)  # their work is at another outlet
    make_serial(serial="AC2601000010001", customer=owner)
    sign_in("zhangmin")
    page = client.get("/customers/serial-check?code=AC2601000010001").get_data(as_text=True)
    assert "serial-verdict genuine" in page and "李雷" not in page


def test_the_serial_check_masks_the_owners_phone_to_those_who_do_not_call_customers(
        client, sign_in):
    make_user("admin", username="admin1")
    make_serial(serial="AC2601000010001", customer=make_customer(name="李雷", phone="13812345678"))
    sign_in("admin1")
    page = client.get("/customers/serial-check?code=AC2601000010001").get_data(as_text=True)
    assert "李雷" in page and "138****5678" in page and "13812345678" not in page


def test_a_known_customers_other_unit_is_recorded_from_their_page(client, sign_in):
    make_user("agent", username="zhangmin")
    owner = make_customer(name="李雷")
    product = make_product(warranty_months=12)
    sign_in("zhangmin")
    path = f"/customers/{owner.id}/units?number={owner.phone}"
    response = client.post(path, data={"product_id": product.id, "serial": "wm2601000020001",
                                       "sold_on": "2026-03-31", "number": owner.phone,
                                       "csrf_token": csrf_from(client, path)})
    assert response.status_code == 302
    assert f"customer_id={owner.id}" in response.headers["Location"]
    unit = db.session.scalars(select(SerialNumber)).one()
    assert (unit.serial, unit.customer_id, unit.warranty_expires_on) == (
        "WM2601000020001", owner.id, date(2027, 3, 31))


def test_the_other_unit_needs_its_model_serial_and_day_named_beside_them(client, sign_in):
    make_user("agent", username="zhangmin")
    owner = make_customer()
    sign_in("zhangmin")
    path = f"/customers/{owner.id}/units"
    response = client.post(path, data={"csrf_token": csrf_from(client, path)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("product_id", "serial", "sold_on"):
        assert f'id="e-{name}"' in page
    assert db.session.scalar(select(SerialNumber.id)) is None


def test_the_console_links_a_known_caller_to_adding_another_unit(client, sign_in):
    make_user("agent", username="zhangmin")
    owner = make_customer()
    sign_in("zhangmin")
    page = client.get(f"/calls/console?number={owner.phone}").get_data(as_text=True)
    assert f'href="/customers/{owner.id}/units?number={owner.phone}"' in page
