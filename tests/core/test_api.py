from datetime import datetime

from aftersales.core.models import AuditEntry
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import bearer, make_customer, make_outlet, make_token, make_user

CUSTOMER = {
    "kind": "person",
    "name": "王芳",
    "phone": "13912345678",
    "province": "广东省",
    "city": "广州市",
    "address": "天河区天河路208号",
}


def agent_headers(role="agent"):
    return bearer(make_token(make_user(role)))


def test_a_valid_customer_is_created_with_201(client):
    response = client.post("/api/v1/customers", json=CUSTOMER, headers=agent_headers())
    assert response.status_code == 201
    assert response.json["name"] == "王芳"


def test_the_creation_is_audited_with_the_api_user_as_actor(client):
    headers = agent_headers()
    created = client.post("/api/v1/customers", json=CUSTOMER, headers=headers).json
    entry = db.session.query(AuditEntry).filter_by(record_type="customers").one()
    assert entry.record_id == str(created["id"])
    assert entry.actor_label.startswith("user")


def test_a_missing_field_is_named_in_one_error_shape(client):
    body = {key: value for key, value in CUSTOMER.items() if key != "phone"}
    response = client.post("/api/v1/customers", json=body, headers=agent_headers())
    assert response.status_code == 422
    assert response.json["code"] == "validation_error"
    assert "phone" in response.json["errors"]
    assert response.json["message"]


def test_an_unknown_field_is_rejected(client):
    response = client.post(
        "/api/v1/customers", json={**CUSTOMER, "vip": True}, headers=agent_headers()
    )
    assert response.status_code == 422
    assert "vip" in response.json["errors"]


def test_a_bad_phone_number_is_refused_with_its_field_and_nothing_is_written(client):
    response = client.post(
        "/api/v1/customers", json={**CUSTOMER, "phone": "12345"}, headers=agent_headers()
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["phone"]
    assert db.session.query(AuditEntry).filter_by(record_type="customers").count() == 0


def test_a_body_that_is_not_json_gets_a_4xx_not_a_500(client):
    response = client.post(
        "/api/v1/customers",
        data="not json",
        headers={**agent_headers(), "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500


def test_datetimes_are_iso_8601_with_a_zone(client):
    created = client.post("/api/v1/customers", json=CUSTOMER, headers=agent_headers()).json
    assert datetime.fromisoformat(created["created_at"]).utcoffset() is not None


def test_cursor_pagination_walks_every_record_once(client):
    headers = agent_headers()
    ids = {make_customer().id for _ in range(7)}
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/customers", query_string=query, headers=headers).json
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert (sorted(seen), pages) == (sorted(ids), 3)


def test_a_forged_cursor_is_a_field_error(client):
    response = client.get(
        "/api/v1/customers", query_string={"cursor": "garbage!"}, headers=agent_headers()
    )
    assert response.status_code == 422
    assert "cursor" in response.json["errors"]


def test_a_limit_out_of_range_is_a_field_error(client):
    response = client.get(
        "/api/v1/customers", query_string={"limit": 5000}, headers=agent_headers()
    )
    assert response.status_code == 422
    assert "limit" in response.json["errors"]


def test_search_finds_a_customer_by_the_start_of_the_phone_number(client):
    make_customer(name="李雷", phone="13800001111")
    make_customer(name="韩梅梅", phone="13999990000")
    page = client.get(
        "/api/v1/customers", query_string={"q": "1380000"}, headers=agent_headers()
    ).json
    assert [item["name"] for item in page["items"]] == ["李雷"]


def test_a_user_scoped_to_one_outlet_sees_only_that_outlet(client):
    own = make_outlet(code="BJ-01")
    make_outlet(code="SH-01", region_code="310100")
    headers = bearer(make_token(make_user("dispatcher", outlet_id=own.id)))
    page = client.get("/api/v1/outlets", headers=headers).json
    assert [item["code"] for item in page["items"]] == ["BJ-01"]


def test_a_user_scoped_to_a_region_sees_that_regions_outlets(client):
    make_outlet(code="BJ-01")
    make_outlet(code="SH-01", region_code="310100")
    headers = bearer(make_token(make_user("dispatcher", region_code="310100")))
    page = client.get("/api/v1/outlets", headers=headers).json
    assert [item["code"] for item in page["items"]] == ["SH-01"]


def test_an_enterprise_wide_user_sees_every_outlet(client):
    make_outlet(code="BJ-01")
    make_outlet(code="SH-01", region_code="310100")
    page = client.get("/api/v1/outlets", headers=agent_headers("manager")).json
    assert sorted(item["code"] for item in page["items"]) == ["BJ-01", "SH-01"]


def test_an_outlet_outside_valid_coordinates_is_refused(client):
    body = {
        "code": "X-1", "name": "网点", "kind": "contracted", "province": "北京市",
        "city": "北京市", "region_code": "110100", "address": "朝阳区", "latitude": "95",
        "longitude": "116.4",
    }
    response = client.post("/api/v1/outlets", json=body, headers=agent_headers("manager"))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["latitude"]


def test_a_duplicate_outlet_code_is_a_409_on_the_field(client):
    make_outlet(code="BJ-01")
    body = {
        "code": "bj-01", "name": "网点", "kind": "contracted", "province": "北京市",
        "city": "北京市", "region_code": "110100", "address": "朝阳区", "latitude": "39.9",
        "longitude": "116.4",
    }
    response = client.post("/api/v1/outlets", json=body, headers=agent_headers("manager"))
    assert response.status_code == 409
    assert list(response.json["errors"]) == ["code"]


def test_a_browser_session_needs_the_csrf_header_to_change_data(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    refused = client.post("/api/v1/customers", json=CUSTOMER)
    assert refused.status_code == 400
    accepted = client.post(
        "/api/v1/customers", json=CUSTOMER, headers={"X-CSRFToken": csrf_from(client, "/")}
    )
    assert accepted.status_code == 201


def test_an_admin_cannot_disable_their_own_account(client):
    admin = make_user("admin")
    headers = bearer(make_token(admin))
    response = client.patch(
        f"/api/v1/users/{admin.id}", json={"is_enabled": False}, headers=headers
    )
    assert response.status_code == 409
    assert list(response.json["errors"]) == ["is_enabled"]


def test_an_admin_creates_a_scoped_user(client):
    outlet = make_outlet()
    response = client.post(
        "/api/v1/users",
        json={
            "username": "tech.bj",
            "display_name": "赵强",
            "password": "a-long-enough-password",
            "roles": [{"role": "technician", "outlet_id": outlet.id}],
        },
        headers=agent_headers("admin"),
    )
    assert response.status_code == 201
    assert response.json["grants"] == [
        {"role": "technician", "outlet_id": outlet.id, "region_code": None}
    ]


def test_record_history_is_served_to_an_auditor(client):
    customer = make_customer()
    page = client.get(
        "/api/v1/audit",
        query_string={"record_type": "customers", "record_id": customer.id},
        headers=agent_headers("auditor"),
    ).json
    assert [entry["action"] for entry in page["items"]] == ["create"]
    assert page["items"][0]["after"]["name"] == customer.name
