"""Every work order belongs to an outlet from the moment it is opened: the outlet named
(inside the actor's scope) or the in-network outlet that covers its service location for
the product's category; with none it is refused, on the pages and the API alike."""

from datetime import date

import pytest
from sqlalchemy import select

from aftersales.core.errors import NotFound, PermissionDenied, ValidationFailed
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.tickets import services
from aftersales.tickets.models import Ticket
from tests.conftest import csrf_from
from tests.factories import (
    bearer,
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_token,
    make_user,
)

# make_customer lives in 北京市, geocoded to the city (116.40, 39.90)
CHAOYANG = {"latitude": "39.920000", "longitude": "116.450000"}  # ~5 km away
SHANGHAI = {"province": "上海市", "city": "上海市", "region_code": "310100",
            "latitude": "31.230000", "longitude": "121.470000"}


def open_for(customer, actor=None, scope=None, **values):
    return services.open_ticket(db.session, actor, "repair", "normal", customer.id, "不制冷",
                                scope=scope, **values)


def test_the_nearest_outlet_whose_radius_reaches_the_place_takes_the_work():
    far = make_outlet("SH-01", **SHANGHAI)
    near = make_outlet("BJ-01", **CHAOYANG)
    ticket = open_for(make_customer())
    assert ticket.outlet_id == near.id != far.id


def test_an_outlet_that_does_not_serve_the_products_category_is_passed_over():
    make_outlet("BJ-TV", categories=["television"], **CHAOYANG)
    ac = make_outlet("BJ-AC", categories=["air_conditioner"], latitude="39.95",
                     longitude="116.30")
    unit = make_serial(product=make_product(category="air_conditioner"))
    ticket = open_for(make_customer(), serial=unit.serial)
    assert ticket.outlet_id == ac.id


def test_an_outlet_whose_agreement_has_lapsed_takes_no_new_work():
    make_outlet("BJ-OLD", kind="contracted", agreement_starts_on=date(2020, 1, 1),
                agreement_ends_on=date(2021, 1, 1), **CHAOYANG)
    with pytest.raises(ValidationFailed) as refused:
        open_for(make_customer())
    assert refused.value.field == "outlet_id"
    assert db.session.scalar(select(Ticket.id)) is None


def test_a_scoped_dispatcher_may_not_open_work_that_another_outlets_area_takes():
    make_outlet("BJ-01", **CHAOYANG)
    shanghai = make_outlet("SH-01", **SHANGHAI)
    dispatcher = make_user("dispatcher", outlet_id=shanghai.id)
    with pytest.raises(PermissionDenied) as refused:
        open_for(make_customer(), dispatcher, scope_of(dispatcher, "tickets.write"))
    assert "BJ-01" in str(refused.value.message)


def test_a_scoped_dispatcher_may_not_name_another_outlet():
    beijing = make_outlet("BJ-01", **CHAOYANG)
    shanghai = make_outlet("SH-01", **SHANGHAI)
    dispatcher = make_user("dispatcher", outlet_id=shanghai.id)
    with pytest.raises(NotFound) as refused:
        open_for(make_customer(), dispatcher, scope_of(dispatcher, "tickets.write"),
                 outlet_id=beijing.id)
    assert refused.value.field == "outlet_id"


def test_the_api_gives_a_new_work_order_its_outlet(client):
    outlet = make_outlet("BJ-01", **CHAOYANG)
    response = client.post("/api/v1/tickets", headers=bearer(make_token(make_user("agent"))),
                           json={"type": "repair", "priority": "normal",
                                 "customer_id": make_customer().id, "description": "不制冷"})
    assert response.status_code == 201, response.json
    assert response.json["outlet_id"] == outlet.id


def test_the_new_work_order_page_gives_it_its_outlet_and_the_outlets_dispatcher_sees_it(
        client, sign_in):
    outlet = make_outlet("BJ-01", **CHAOYANG)
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    token = csrf_from(client, f"/tickets/new?customer_id={customer.id}")
    response = client.post(f"/tickets/new?customer_id={customer.id}", data={
        "csrf_token": token, "type": "repair", "priority": "normal", "description": "不制冷"})
    assert response.status_code == 302
    ticket = db.session.scalar(select(Ticket))
    assert ticket.outlet_id == outlet.id
    dispatcher = make_user("dispatcher", outlet_id=outlet.id)
    headers = bearer(make_token(dispatcher))
    assert client.get(f"/api/v1/tickets/{ticket.id}", headers=headers).status_code == 200


def test_covering_outlet_falls_back_to_the_city_without_coordinates():
    outlet = make_outlet("BJ-01", **CHAOYANG)
    found = outlet_services.covering_outlet(db.session, None, None, "北京市", None,
                                            date(2026, 12, 1))
    assert found.id == outlet.id
