"""Scope holds on writes: a record, an outlet or a user named in a request must lie inside
the actor's scope, and an assignee must be able to act on what is assigned."""

from sqlalchemy import func, select

from aftersales.complaints.models import Complaint
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets.models import StockLevel
from tests.complaints.factories import make_complaint
from tests.factories import (
    bearer,
    make_customer,
    make_outlet,
    make_product,
    make_ticket,
    make_token,
    make_user,
)

SHANGHAI = {"province": "上海市", "city": "上海市", "region_code": "310100",
            "latitude": "31.230000", "longitude": "121.470000"}


def two_outlets():
    return make_outlet("BJ-01"), make_outlet("SH-01", **SHANGHAI)


def test_a_shanghai_dispatcher_may_not_stock_beijing(client):
    beijing, shanghai = two_outlets()
    part = customer_services.create_part(db.session, make_product().id, "P-1", "压缩机", "main",
                                       100)
    db.session.commit()
    headers = bearer(make_token(make_user("dispatcher", outlet_id=shanghai.id)))
    response = client.post("/api/v1/stock/receipts", headers=headers, json={
        "outlet_id": beijing.id, "part_id": part.id, "quantity": 5})
    assert response.status_code == 404
    assert "outlet_id" in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(StockLevel)) == 0
    own = client.post("/api/v1/stock/receipts", headers=headers, json={
        "outlet_id": shanghai.id, "part_id": part.id, "quantity": 5})
    assert own.status_code == 201


def test_a_beijing_technician_may_not_be_assigned_a_shanghai_order(client):
    beijing, shanghai = two_outlets()
    ticket = make_ticket(outlet_id=shanghai.id)
    technician = make_user("technician", outlet_id=beijing.id)
    headers = bearer(make_token(make_user("dispatcher")))
    response = client.post(f"/api/v1/tickets/{ticket.id}/moves", headers=headers,
                           json={"to_state": "assigned", "technician_id": technician.id})
    assert response.status_code == 422
    assert "technician_id" in response.json["errors"]


def test_a_technician_of_the_orders_outlet_may_be_assigned(client):
    _beijing, shanghai = two_outlets()
    ticket = make_ticket(outlet_id=shanghai.id)
    technician = make_user("technician", outlet_id=shanghai.id)
    headers = bearer(make_token(make_user("dispatcher")))
    response = client.post(f"/api/v1/tickets/{ticket.id}/moves", headers=headers,
                           json={"to_state": "assigned", "technician_id": technician.id})
    assert response.status_code == 200, response.json
    mine = bearer(make_token(technician))
    assert client.get(f"/api/v1/tickets/{ticket.id}", headers=mine).status_code == 200


def test_a_complaint_may_not_be_assigned_to_someone_who_cannot_handle_it(client):
    complaint = make_complaint()
    headers = bearer(make_token(make_user("complaint_handler")))
    for role in ("technician", "auditor"):
        response = client.post(f"/api/v1/complaints/{complaint.id}/assign", headers=headers,
                               json={"handler_id": make_user(role).id})
        assert response.status_code == 422, role
        assert "handler_id" in response.json["errors"]


def test_a_complaint_may_not_go_to_a_handler_of_another_outlet(client):
    beijing, shanghai = two_outlets()
    complaint = make_complaint(outlet_id=beijing.id)
    handler = make_user("complaint_handler", outlet_id=shanghai.id)
    headers = bearer(make_token(make_user("complaint_handler")))
    response = client.post(f"/api/v1/complaints/{complaint.id}/assign", headers=headers,
                           json={"handler_id": handler.id})
    assert response.status_code == 422


def test_a_scoped_agent_may_not_file_a_complaint_against_another_outlets_order(client):
    beijing, shanghai = two_outlets()
    customer = make_customer()
    ticket = make_ticket(customer=customer, outlet_id=beijing.id)
    headers = bearer(make_token(make_user("agent", outlet_id=shanghai.id)))
    response = client.post("/api/v1/complaints", headers=headers, json={
        "channel": "hotline", "category": "repair_quality", "severity": "normal",
        "customer_id": customer.id, "summary": "修不好", "description": "修不好",
        "ticket_id": ticket.id})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_a_complaint_about_a_work_order_belongs_to_its_outlet(client):
    beijing, _shanghai = two_outlets()
    customer = make_customer()
    ticket = make_ticket(customer=customer, outlet_id=beijing.id)
    headers = bearer(make_token(make_user("agent")))
    response = client.post("/api/v1/complaints", headers=headers, json={
        "channel": "hotline", "category": "repair_quality", "severity": "normal",
        "customer_id": customer.id, "summary": "修不好", "description": "修不好",
        "ticket_id": ticket.id})
    assert response.status_code == 201, response.json
    assert response.json["outlet_id"] == beijing.id
