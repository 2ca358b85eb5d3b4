"""Hostile input is answered with a 4xx naming the field and the reason, never a 500 from
the database, on SQLite and PostgreSQL alike (CI runs this file on both)."""

import pytest

from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.conftest import csrf_from
from tests.factories import bearer, make_customer, make_token, make_user

HUGE = 10**20


@pytest.fixture
def manager(client):
    return bearer(make_token(make_user("manager")))


@pytest.mark.parametrize("path", [
    f"/api/v1/tickets/{HUGE}", f"/api/v1/complaints/{2**31}", f"/api/v1/customers/{2**63}",
    f"/api/v1/meetings/{HUGE}", f"/complaints/{2**31}",
])
def test_an_id_past_what_a_column_stores_names_nothing(client, manager, path):
    assert client.get(path, headers=manager).status_code == 404


def test_a_huge_integer_in_a_body_is_refused_by_name(client, manager):
    response = client.post("/api/v1/complaint-mediators", headers=manager,
                           json={"user_id": HUGE, "appointed_on": "2026-01-05"})
    assert response.status_code == 422
    assert "user_id" in response.json["errors"]


def test_unbounded_money_is_refused_by_name(client):
    headers = bearer(make_token(make_user("complaint_handler")))
    complaint = make_complaint()
    response = client.post(f"/api/v1/complaints/{complaint.id}/resolve", headers=headers, json={
        "resolution": "更换压缩机", "root_cause": "压缩机故障", "compensation_fen": HUGE})
    assert response.status_code == 422
    assert "compensation_fen" in response.json["errors"]


def test_money_with_a_fraction_is_refused_not_truncated(client):
    headers = bearer(make_token(make_user("complaint_handler")))
    complaint = make_complaint()
    response = client.post(f"/api/v1/complaints/{complaint.id}/resolve", headers=headers, json={
        "resolution": "更换压缩机", "root_cause": "压缩机故障", "compensation_fen": 12.5})
    assert response.status_code == 422
    assert response.json["errors"]["compensation_fen"] == ["Not a whole number."]


def test_a_whole_number_written_with_a_point_is_still_a_whole_number(client):
    headers = bearer(make_token(make_user("complaint_handler")))
    complaint = make_complaint()
    client.post(f"/api/v1/complaints/{complaint.id}/acknowledge", headers=headers,
                json={"text": "已致电客户"})
    response = client.post(f"/api/v1/complaints/{complaint.id}/resolve", headers=headers, json={
        "resolution": "更换压缩机", "root_cause": "压缩机故障", "compensation_fen": 1200.0})
    assert response.status_code == 200, response.json
    assert response.json["compensation_fen"] == 1200


def test_a_huge_query_limit_is_refused_by_name(client, manager):
    response = client.get(f"/api/v1/meetings?limit={HUGE}", headers=manager)
    assert response.status_code == 422 and "limit" in response.json["errors"]


def test_a_nul_byte_in_json_is_refused_by_name(client, manager):
    response = client.post("/api/v1/complaint-mediators", headers=manager, json={
        "user_id": make_user("complaint_handler").id, "appointed_on": "2026-01-05",
        "note": "任命\x00文件"})
    assert response.status_code == 422
    assert "note" in response.json["errors"]


def test_a_lone_surrogate_in_json_is_refused_by_name(client, manager):
    body = '{"user_id": 1, "appointed_on": "2026-01-05", "note": "\\ud800"}'
    response = client.post("/api/v1/complaint-mediators", headers=manager, data=body,
                           content_type="application/json")
    assert response.status_code == 422
    assert "note" in response.json["errors"]


def test_a_nul_byte_in_a_query_is_refused_by_name(client, manager):
    response = client.get("/api/v1/customers?q=%00", headers=manager)
    assert response.status_code == 422 and "q" in response.json["errors"]


def test_a_nul_byte_in_a_page_form_is_refused(client, sign_in):
    make_user("manager", username="keeper")
    sign_in("keeper")
    token = csrf_from(client, "/meetings")
    response = client.post("/meetings", data={"csrf_token": token, "held_on": "2026-01-05",
                                              "topic": "恳谈\x00会", "place": "北京",
                                              "attendees": "王芳"})
    assert response.status_code == 422


def test_a_name_of_only_spaces_is_refused_not_stored_empty(client, manager):
    response = client.post("/api/v1/customers", headers=manager, json={
        "kind": "individual", "name": "   ", "phone": "13800001111", "province": "北京市",
        "city": "北京市", "address": "朝阳区幸福路1号"})
    assert response.status_code == 422
    assert "name" in response.json["errors"]


def test_percent_and_underscore_in_a_search_match_themselves(client, manager):
    make_customer(name="李雷", phone="13800001111")
    for term in ("%", "_", "1%"):
        response = client.get(f"/api/v1/customers?q={term.replace('%', '%25')}",
                              headers=manager)
        assert response.status_code == 200
        assert response.json["items"] == [], term
    found = client.get("/api/v1/customers?q=138", headers=manager).json["items"]
    assert [customer["name"] for customer in found] == ["李雷"]


def test_a_bearer_request_with_a_stray_session_cookie_is_the_tokens(client, sign_in):
    make_user("agent", username="cookie_owner")
    sign_in("cookie_owner")  # the client now carries a session cookie
    manager = make_user("manager")
    response = client.get("/api/v1/meetings", headers=bearer(make_token(manager)))
    assert response.status_code == 200


def test_a_bad_bearer_token_does_not_fall_back_to_the_cookie(client, sign_in):
    make_user("manager", username="cookie_owner")
    sign_in("cookie_owner")
    response = client.get("/api/v1/meetings", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401


def test_db_session_is_usable_after_a_refused_request(client, manager):
    client.get(f"/api/v1/meetings?limit={HUGE}", headers=manager)
    assert client.get("/api/v1/meetings", headers=manager).status_code == 200
    assert db.session.is_active


def test_a_method_not_allowed_says_which_are(client, manager):
    response = client.delete("/api/v1/meetings", headers=manager)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert response.json["code"] == "method_not_allowed"
