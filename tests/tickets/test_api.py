import pytest

from tests.factories import (
    bearer,
    home_outlet,
    make_customer,
    make_serial,
    make_token,
    make_user,
)


@pytest.fixture(autouse=True)
def covering_outlet():
    """The outlet that takes the tests' Beijing customers' work."""
    return home_outlet()


def headers(role):
    return bearer(make_token(make_user(role)))


def test_an_agent_opens_a_work_order_with_warranty_from_the_serial(client):
    customer = make_customer()
    make_serial(serial="AC2601000010001", customer=customer)
    response = client.post(
        "/api/v1/tickets",
        json={"type": "repair", "customer_id": customer.id, "description": "不制冷",
              "serial": "AC2601000010001"},
        headers=headers("agent"),
    )
    assert response.status_code == 201
    body = response.json
    assert (body["state"], body["warranty_status"]) == ("new", "in_warranty")
    assert [event["to_state"] for event in body["events"]] == ["new"]


def test_a_work_order_opened_at_the_desk_says_so(client):
    response = client.post(
        "/api/v1/tickets",
        json={"type": "repair", "customer_id": make_customer().id, "description": "不制冷"},
        headers=headers("agent"),
    )
    assert (response.json["channel"], response.json["window_starts_at"]) == ("desk", None)


def test_a_serial_of_another_customer_is_refused_on_its_field(client):
    make_serial(serial="AC2601000010001", customer=make_customer(name="李雷"))
    response = client.post(
        "/api/v1/tickets",
        json={"type": "repair", "customer_id": make_customer(name="韩梅梅").id,
              "description": "不制冷", "serial": "AC2601000010001"},
        headers=headers("agent"),
    )
    assert response.status_code == 409
    assert list(response.json["errors"]) == ["serial"]


def test_an_unknown_type_is_a_field_error(client):
    response = client.post(
        "/api/v1/tickets",
        json={"type": "teleport", "customer_id": make_customer().id, "description": "x"},
        headers=headers("agent"),
    )
    assert response.status_code == 422
    assert "type" in response.json["errors"]


def test_a_dispatcher_assigns_through_the_api(client):
    customer = make_customer()
    technician = make_user("technician")
    desk = headers("dispatcher")
    created = client.post("/api/v1/tickets", json={
        "type": "repair", "customer_id": customer.id, "description": "漏水"}, headers=desk).json
    moved = client.post(f"/api/v1/tickets/{created['id']}/moves",
                        json={"to_state": "assigned", "technician_id": technician.id},
                        headers=desk)
    assert moved.status_code == 200
    assert (moved.json["state"], moved.json["technician_id"]) == ("assigned", technician.id)
    assert moved.json["response_met"] is True


def test_an_illegal_step_is_a_409_naming_the_field(client):
    created = client.post("/api/v1/tickets", json={
        "type": "repair", "customer_id": make_customer().id, "description": "漏水"},
        headers=headers("agent")).json
    response = client.post(f"/api/v1/tickets/{created['id']}/moves",
                           json={"to_state": "resolved"}, headers=headers("dispatcher"))
    assert response.status_code == 409
    assert list(response.json["errors"]) == ["to_state"]


def test_overdue_lists_only_unfinished_work_past_due(client):
    from datetime import timedelta

    from aftersales.core.clock import utcnow
    from aftersales.extensions import db
    from tests.factories import make_ticket

    late = make_ticket(received_at=utcnow() - timedelta(days=20))
    make_ticket()
    db.session.commit()
    page = client.get("/api/v1/tickets", query_string={"overdue": "true"},
                      headers=headers("manager")).json
    assert [item["id"] for item in page["items"]] == [late.id]
