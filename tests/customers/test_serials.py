from datetime import date

import pytest

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.customers import services
from aftersales.extensions import db
from tests.factories import bearer, make_customer, make_product, make_serial, make_token, make_user


@pytest.mark.parametrize(
    ("sold_on", "months", "expires_on"),
    [
        (date(2025, 3, 15), 12, date(2026, 3, 15)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2020, 8, 31), 72, date(2026, 8, 31)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
    ],
)
def test_warranty_expiry_is_the_sale_date_plus_the_products_months(sold_on, months, expires_on):
    unit = make_serial(product=make_product(warranty_months=months), sold_on=sold_on)
    assert unit.warranty_expires_on == expires_on


def test_a_unit_is_in_warranty_on_its_last_day_and_expired_the_next():
    unit = make_serial(product=make_product(warranty_months=12), sold_on=date(2025, 3, 15))
    assert services.warranty_on(unit, date(2026, 3, 15)).status == "in_warranty"
    assert services.warranty_on(unit, date(2026, 3, 16)).status == "expired"


def test_without_a_serial_the_warranty_is_unknown():
    assert services.warranty_on(None, date(2026, 1, 1)).status == "unknown"


def test_a_serial_is_registered_once():
    product = make_product()
    make_serial(product=product, serial="AC2601000010001")
    with pytest.raises(Conflict):
        services.register_serial(db.session, product.id, "ac2601000010001", date(2026, 1, 1))


def test_a_serial_with_odd_characters_is_refused_on_its_field():
    with pytest.raises(ValidationFailed) as refused:
        services.register_serial(db.session, make_product().id, "AC 26/01", date(2026, 1, 1))
    assert refused.value.field == "serial"


def test_the_verification_code_tells_a_genuine_unit_from_a_fake():
    unit = make_serial(serial="AC2601000010001")
    assert services.is_genuine(db.session, "ac2601000010001", unit.verification_code.lower())
    assert not services.is_genuine(db.session, "AC2601000010001", "WRONG123")
    assert not services.is_genuine(db.session, "NOSUCHSERIAL", unit.verification_code)


def test_the_search_box_finds_a_customer_by_a_serial_of_theirs(client):
    owner = make_customer(name="李雷")
    make_customer(name="韩梅梅")
    make_serial(serial="AC2601000010001", customer=owner)
    page = client.get(
        "/api/v1/customers", query_string={"q": "AC2601000010001"},
        headers=bearer(make_token(make_user("agent"))),
    ).json
    assert [item["name"] for item in page["items"]] == ["李雷"]


def test_the_customer_profile_lists_their_products_with_warranty_status(client):
    owner = make_customer()
    make_serial(serial="AC2601000010001", customer=owner, sold_on=date(2020, 1, 1),
                product=make_product(warranty_months=12))
    profile = client.get(
        f"/api/v1/customers/{owner.id}", headers=bearer(make_token(make_user("agent")))
    ).json
    [unit] = profile["products"]
    assert (unit["serial"], unit["warranty"]["status"]) == ("AC2601000010001", "expired")


def test_registering_a_serial_through_the_api_answers_its_warranty(client):
    product = make_product(warranty_months=36)
    response = client.post(
        "/api/v1/serials",
        json={"serial": "wm-0001", "product_id": product.id, "sold_on": "2026-06-01"},
        headers=bearer(make_token(make_user("agent"))),
    )
    assert response.status_code == 201
    assert response.json["warranty"] == {"status": "in_warranty", "expires_on": "2029-06-01"}


def test_an_unknown_product_is_a_404_on_its_field(client):
    response = client.post(
        "/api/v1/serials",
        json={"serial": "WM-0001", "product_id": 999, "sold_on": "2026-06-01"},
        headers=bearer(make_token(make_user("agent"))),
    )
    assert response.status_code == 404
    assert list(response.json["errors"]) == ["product_id"]


def test_parts_are_listed_per_product(client):
    product = make_product()
    headers = bearer(make_token(make_user("manager")))
    created = client.post(
        f"/api/v1/products/{product.id}/parts",
        json={"code": "p-1", "name": "压缩机", "kind": "main", "price_fen": 98000},
        headers=headers,
    )
    assert created.status_code == 201
    listed = client.get(f"/api/v1/products/{product.id}/parts", headers=headers).json
    assert [(p["code"], p["price_fen"]) for p in listed] == [("P-1", 98000)]


def test_a_negative_part_price_is_refused(client):
    product = make_product()
    response = client.post(
        f"/api/v1/products/{product.id}/parts",
        json={"code": "p-1", "name": "压缩机", "kind": "main", "price_fen": -1},
        headers=bearer(make_token(make_user("manager"))),
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["price_fen"]


def test_half_given_coordinates_are_refused():
    with pytest.raises(ValidationFailed) as refused:
        services.create_customer(db.session, "person", "王芳", "13912345678", "广东省",
                                 "广州市", "天河路1号", latitude="23.1")
    assert refused.value.field == "latitude"
