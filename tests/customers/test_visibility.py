"""Who sees which customers (PIPL): scoped staff see the customers linked to work in their
scope, a technician those of the orders assigned to them; roles that do not contact
customers see phones and addresses masked; every full-record read is in the audit trail."""

from sqlalchemy import select

from aftersales.core.models import AuditEntry
from aftersales.customers.models import Customer
from aftersales.extensions import db
from aftersales.tickets import services as ticket_services
from tests.calls.factories import make_call
from tests.factories import (
    bearer,
    make_customer,
    make_outlet,
    make_serial,
    make_ticket,
    make_token,
    make_user,
)

SHANGHAI = {"province": "上海市", "city": "上海市", "region_code": "310100",
            "latitude": "31.230000", "longitude": "121.470000"}


def world():
    beijing, shanghai = make_outlet("BJ-01"), make_outlet("SH-01", **SHANGHAI)
    li = make_customer(name="李雷", phone="13800001111")
    han = make_customer(name="韩梅", phone="13900002222")
    return beijing, shanghai, make_ticket(customer=li, outlet_id=beijing.id), \
        make_ticket(customer=han, outlet_id=shanghai.id)


def names(client, headers, query=""):
    response = client.get(f"/api/v1/customers?q={query}", headers=headers)
    assert response.status_code == 200
    return sorted(item["name"] for item in response.json["items"])


def test_a_shanghai_dispatcher_sees_only_customers_with_shanghai_work(client):
    _beijing, shanghai, in_beijing, in_shanghai = world()
    headers = bearer(make_token(make_user("dispatcher", outlet_id=shanghai.id)))
    assert names(client, headers) == ["韩梅"]
    assert names(client, headers, "138") == []
    assert client.get(f"/api/v1/customers/{in_beijing.customer_id}",
                      headers=headers).status_code == 404
    assert client.get(f"/api/v1/customers/{in_shanghai.customer_id}",
                      headers=headers).status_code == 200


def test_a_technician_sees_only_the_customers_of_orders_assigned_to_them(client):
    beijing, _shanghai, in_beijing, _in_shanghai = world()
    technician = make_user("technician", outlet_id=beijing.id)
    headers = bearer(make_token(technician))
    assert names(client, headers) == []
    ticket_services.move_ticket(db.session, in_beijing, ticket_services.Move(
        "assigned", technician_id=technician.id), make_user("dispatcher"), True)
    db.session.commit()
    assert names(client, headers) == ["李雷"]


def test_someone_acting_for_the_whole_company_sees_every_customer(client):
    world()
    assert names(client, bearer(make_token(make_user("agent")))) == ["李雷", "韩梅"]


def test_an_auditor_sees_phones_and_addresses_masked(client):
    _beijing, _shanghai, in_beijing, _ = world()
    headers = bearer(make_token(make_user("auditor")))
    profile = client.get(f"/api/v1/customers/{in_beijing.customer_id}", headers=headers).json
    assert profile["phone"] == "138****1111"
    assert "朝阳区1号" not in profile["address"]


def test_an_agent_sees_the_phone_in_full(client):
    _beijing, _shanghai, in_beijing, _ = world()
    headers = bearer(make_token(make_user("agent")))
    profile = client.get(f"/api/v1/customers/{in_beijing.customer_id}", headers=headers).json
    assert profile["phone"] == "13800001111"


def test_every_read_of_a_full_record_is_in_the_audit_trail(client):
    _beijing, _shanghai, in_beijing, _ = world()
    reader = make_user("agent")
    client.get(f"/api/v1/customers/{in_beijing.customer_id}", headers=bearer(make_token(reader)))
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.record_type == "customers", AuditEntry.action == "read"))
    assert (entry.record_id, entry.actor_id) == (str(in_beijing.customer_id), reader.id)


def test_a_serial_of_a_customer_out_of_sight_is_not_found(client):
    _beijing, shanghai, in_beijing, _ = world()
    unit = make_serial(customer=db.session.get(Customer, in_beijing.customer_id))
    headers = bearer(make_token(make_user("dispatcher", outlet_id=shanghai.id)))
    assert client.get(f"/api/v1/serials/{unit.serial}", headers=headers).status_code == 404


def test_a_shanghai_dispatcher_reads_only_calls_of_customers_in_sight(client):
    _beijing, shanghai, _in_beijing, _in_shanghai = world()
    for number in ("13800001111", "13900002222", "13700003333"):  # the last: nobody known
        make_call(number)
    headers = bearer(make_token(make_user("dispatcher", outlet_id=shanghai.id)))
    listed = client.get("/api/v1/calls", headers=headers).json["items"]
    assert [item["caller_number"] for item in listed] == ["13900002222"]
