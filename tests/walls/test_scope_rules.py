"""The rules the walk found missing, one behaviour each: calls follow their customer,
work may be opened only for customers the agent may see (or nobody's yet), and what spans
the enterprise needs an enterprise-wide grant."""

from sqlalchemy import func, select

from aftersales.calls.models import Call
from aftersales.customers.models import SerialNumber
from aftersales.extensions import db
from tests.calls.factories import make_missed
from tests.conftest import csrf_from
from tests.factories import (
    bearer,
    make_customer,
    make_outlet,
    make_product,
    make_ticket,
    make_token,
    make_user,
)
from tests.walls import world as away


def home_agent_headers(world):
    return bearer(make_token(world.actors["agent"]))


def test_a_call_of_another_outlets_customer_is_not_found(client):
    world = away.build()
    response = client.get(f"/api/v1/calls/{world.ids['call_id']}",
                          headers=home_agent_headers(world))
    assert response.status_code == 404


def test_a_missed_call_of_another_outlets_customer_may_not_be_called_back(client):
    world = away.build()
    missed = make_missed(number=away.AWAY_PHONE)
    response = client.post(f"/api/v1/calls/{missed.id}/callback",
                           headers=home_agent_headers(world),
                           json={"queued_at": "2026-12-01T02:00:00Z", "outcome": "missed"})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Call).where(
        Call.callback_of_id == missed.id)) == 0


def test_the_callback_page_answers_404_for_another_outlets_call(client, sign_in):
    world = away.build()
    missed = make_missed(number=away.AWAY_PHONE)
    sign_in(world.actors["agent"].username)
    response = client.post(f"/calls/{missed.id}/callback", data={
        "outcome": "answered", "csrf_token": csrf_from(client, "/calls/callbacks")})
    assert response.status_code == 404


def test_work_may_not_be_opened_for_another_outlets_customer(client):
    world = away.build()
    response = client.post("/api/v1/tickets", headers=home_agent_headers(world), json={
        "type": "repair", "customer_id": world.ids["customer_id"], "description": "不制冷",
        "outlet_id": world.home_id})
    assert response.status_code == 404


def test_a_caller_just_registered_is_seen_and_served_by_a_scoped_agent(client):
    world = away.build()
    headers = home_agent_headers(world)
    created = client.post("/api/v1/customers", headers=headers, json={
        "kind": "person", "name": "新来电", "phone": "13800001111", "province": "北京市",
        "city": "北京市", "address": "朝阳区2号"})
    assert created.status_code == 201, created.json
    customer_id = created.json["id"]
    assert client.get(f"/api/v1/customers/{customer_id}", headers=headers).status_code == 200
    opened = client.post("/api/v1/tickets", headers=headers, json={
        "type": "repair", "customer_id": customer_id, "description": "不制冷",
        "outlet_id": world.home_id})
    assert opened.status_code == 201, opened.json


def test_once_served_in_shanghai_a_customer_is_hidden_from_beijing(client):
    world = away.build()
    unlinked = make_customer(name="无人认领")
    headers = home_agent_headers(world)
    assert client.get(f"/api/v1/customers/{unlinked.id}", headers=headers).status_code == 200
    make_ticket(customer=unlinked, outlet_id=world.away_id)
    assert client.get(f"/api/v1/customers/{unlinked.id}", headers=headers).status_code == 404


def test_a_sold_unit_may_not_be_registered_to_another_outlets_customer(client):
    world = away.build()
    response = client.post("/api/v1/serials", headers=home_agent_headers(world), json={
        "serial": "SN-NEW-0001", "product_id": make_product().id, "sold_on": "2026-06-01",
        "customer_id": world.ids["customer_id"]})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(SerialNumber).where(
        SerialNumber.serial == "SN-NEW-0001")) == 0


def test_an_admin_scoped_to_an_outlet_manages_no_user_accounts(client):
    outlet = make_outlet()
    scoped = bearer(make_token(make_user("admin", outlet_id=outlet.id)))
    response = client.post("/api/v1/users", headers=scoped, json={
        "username": "self_made", "display_name": "自封", "password": "long-enough-pw",
        "roles": [{"role": "manager"}]})
    assert response.status_code == 403
    wide = bearer(make_token(make_user("admin")))
    assert client.get("/api/v1/users", headers=wide).status_code == 200


def test_a_manager_scoped_to_an_outlet_reads_no_audit_trail(client):
    outlet = make_outlet()
    scoped = bearer(make_token(make_user("manager", outlet_id=outlet.id)))
    assert client.get("/api/v1/audit?record_type=ticket&record_id=1",
                      headers=scoped).status_code == 403


def test_a_scoped_admin_keeps_their_outlets_hours_but_not_the_company_calendar(client):
    outlet = make_outlet()
    scoped = bearer(make_token(make_user("admin", outlet_id=outlet.id)))
    hours = {"workday": "08:00-20:00", "weekend": "09:00-18:00", "holiday": "09:00-18:00"}
    assert client.put(f"/api/v1/calendar/outlets/{outlet.id}/hours", headers=scoped,
                      json=hours).status_code == 200
    assert client.put("/api/v1/calendar/hours", headers=scoped, json=hours).status_code == 403
    assert client.put("/api/v1/calendar/years/2027", headers=scoped,
                      json={"entries": []}).status_code == 403
