"""The JSON API: intake, handling steps, queue, board and archive check, through HTTP."""

from datetime import timedelta

from aftersales.core.clock import to_zone, utcnow
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.evidence.factories import make_action
from tests.factories import bearer, make_customer, make_outlet, make_ticket, make_token, make_user


def _handler():
    user = make_user("complaint_handler")
    return user, bearer(make_token(user))


def _intake(customer, **values):
    return {"channel": "regulator", "category": "fees", "severity": "normal",
            "customer_id": customer.id, "summary": "保修期内被收上门费",
            "description": "客户称保修期内被收取上门费80元。", **values}


def test_a_complaint_is_taken_in_with_receipt_and_entry_times(client):
    _user, headers = _handler()
    customer = make_customer()
    received = (utcnow() - timedelta(hours=2)).isoformat()
    response = client.post("/api/v1/complaints", json=_intake(customer, received_at=received,
                                                              external_ref="12315-0001"),
                           headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["state"] == "received" and body["number"].startswith("TS")
    assert body["received_at"] != body["entered_at"]
    assert [(c["kind"], c["cycle"]) for c in body["clocks"]] == [("response", 1),
                                                                 ("resolution", 1)]


def test_the_work_order_gives_its_outlet_and_product(client):
    _user, headers = _handler()
    outlet = make_outlet()
    ticket = make_ticket(outlet_id=outlet.id)
    customer_id = ticket.customer_id
    response = client.post("/api/v1/complaints", headers=headers, json={
        "channel": "hotline", "category": "repair_quality", "customer_id": customer_id,
        "summary": "修不好", "description": "修了三次", "ticket_id": ticket.id})
    assert response.status_code == 201
    assert response.json["outlet_id"] == outlet.id


def test_a_work_order_of_another_customer_is_refused_on_its_field(client):
    _user, headers = _handler()
    ticket = make_ticket()
    response = client.post("/api/v1/complaints", headers=headers,
                           json=_intake(make_customer(), ticket_id=ticket.id))
    assert response.status_code == 409
    assert "ticket_id" in response.json["errors"]


def test_unknown_fields_are_rejected(client):
    _user, headers = _handler()
    response = client.post("/api/v1/complaints", headers=headers,
                           json=_intake(make_customer(), mood="angry"))
    assert response.status_code == 422
    assert "mood" in response.json["errors"]


def test_an_agent_takes_complaints_in_but_cannot_handle_them(client):
    agent = make_user("agent")
    headers = bearer(make_token(agent))
    complaint = make_complaint()
    response = client.post(f"/api/v1/complaints/{complaint.id}/acknowledge",
                           json={"text": "好的"}, headers=headers)
    assert response.status_code == 403


def test_handling_from_response_to_confirmation(client):
    user, headers = _handler()
    complaint = make_complaint(actor=user, now=utcnow() - timedelta(hours=3))
    base = f"/api/v1/complaints/{complaint.id}"
    action_id = make_action().id
    assert client.post(f"{base}/acknowledge", json={"text": "已致歉"},
                       headers=headers).status_code == 200
    assert client.post(f"{base}/notes", json={"text": "调取维修记录"},
                       headers=headers).status_code == 201
    assert client.post(f"{base}/pause", json={"reason": "等客户照片"},
                       headers=headers).json["paused_since"]
    assert client.post(f"{base}/resume", headers=headers).json["paused_since"] is None
    resolved = client.post(f"{base}/resolve", headers=headers, json={
        "resolution": "退还上门费", "root_cause": "网点误收费", "corrective_action": "网点培训",
        "compensation_fen": 8000, "improvement_action_id": action_id})
    assert resolved.status_code == 200
    assert (resolved.json["compensation_fen"], resolved.json["improvement_action_id"]) == (
        8000, action_id)
    assert client.post(f"{base}/mediate", headers=headers, json={
        "mediator": "区消协", "note": "双方同意"}).status_code == 200
    closed = client.post(f"{base}/confirm", headers=headers,
                         json={"accepted": True, "satisfaction": 4})
    assert closed.json["state"] == "closed"
    assert closed.json["archive_gaps"] == ["attachments"]


def test_resolving_an_unanswered_complaint_is_a_conflict(client):
    _user, headers = _handler()
    complaint = make_complaint(now=utcnow() - timedelta(hours=1))
    response = client.post(f"/api/v1/complaints/{complaint.id}/resolve", headers=headers,
                           json={"resolution": "x", "root_cause": "y"})
    assert response.status_code == 409


def test_the_queue_puts_the_nearest_breach_first_and_paused_ones_last(client):
    _user, headers = _handler()
    now = utcnow()
    later = make_complaint(now=now - timedelta(hours=1))
    sooner = make_complaint(now=now - timedelta(hours=20))
    waiting = make_complaint(now=now - timedelta(hours=23))
    client.post(f"/api/v1/complaints/{waiting.id}/pause", json={"reason": "等客户"},
                headers=headers)
    items = client.get("/api/v1/complaints/queue", headers=headers).json["items"]
    assert [item["id"] for item in items] == [sooner.id, later.id, waiting.id]
    assert 0 < items[0]["seconds_to_breach"] <= 4 * 3600
    assert items[2]["seconds_to_breach"] is None


def test_an_outlet_scoped_handler_sees_only_its_outlets_complaints(client):
    outlet, other = make_outlet(), make_outlet(region_code="310100")
    user = make_user("complaint_handler", outlet_id=outlet.id)
    headers = bearer(make_token(user))
    mine = make_complaint(outlet_id=outlet.id)
    theirs = make_complaint(outlet_id=other.id)
    ids = [c["id"] for c in client.get("/api/v1/complaints", headers=headers).json["items"]]
    assert ids == [mine.id]
    assert client.get(f"/api/v1/complaints/{theirs.id}", headers=headers).status_code == 404


def test_an_attachment_is_checked_by_content(client):
    _user, headers = _handler()
    complaint = make_complaint()
    url = f"/api/v1/complaints/{complaint.id}/attachments"
    fake = client.post(url, headers=headers, content_type="multipart/form-data",
                       data={"file": (__import__("io").BytesIO(b"MZ\x90 not a pdf"), "a.pdf")})
    assert fake.status_code == 422
    real = client.post(url, headers=headers, content_type="multipart/form-data",
                       data={"file": (__import__("io").BytesIO(b"%PDF-1.4 letter"), "信.pdf")})
    assert real.status_code == 201 and real.json["media_type"] == "application/pdf"
    download = client.get(f"{url}/{real.json['id']}", headers=headers)
    assert download.data == b"%PDF-1.4 letter"


def test_the_board_counts_24_hour_responses_by_category(client):
    manager = make_user("manager")
    headers = bearer(make_token(manager))
    handler = make_user("complaint_handler")
    from aftersales.complaints import services

    now = utcnow()
    fast = make_complaint(now=now - timedelta(hours=50), category="fees")
    slow = make_complaint(now=now - timedelta(hours=50), category="fees")
    make_complaint(now=now - timedelta(hours=50), category="timeliness")  # never answered
    make_complaint(now=now - timedelta(hours=1), category="timeliness")  # not due yet
    services.acknowledge(db.session, fast, handler, "已致歉", now=now - timedelta(hours=48))
    services.acknowledge(db.session, slow, handler, "已致歉", now=now - timedelta(hours=10))
    db.session.commit()
    # The board's days are local (Asia/Shanghai): a UTC date misses what came in after
    # local midnight, between 16:00 and 24:00 UTC.
    today = to_zone(now).date().isoformat()
    first = (to_zone(now) - timedelta(days=5)).date().isoformat()
    board = client.get(f"/api/v1/complaints/board?from={first}&to={today}",
                       headers=headers).json
    assert board["total"]["received"] == 4
    assert (board["total"]["responded_24h"], board["total"]["response_due"]) == (1, 3)
    fees = next(row for row in board["by_category"] if row["key"] == "fees")
    assert (fees["response_24h_rate"], fees["average_response_hours"]) == (0.5, 21.0)


def test_the_archive_check_lists_the_gaps_of_closed_complaints(client):
    manager = make_user("manager")
    headers = bearer(make_token(manager))
    from aftersales.complaints import services

    complaint = make_complaint(actor=manager, now=utcnow() - timedelta(hours=5))
    services.acknowledge(db.session, complaint, manager, "已致歉")
    services.resolve(db.session, complaint, manager, services.Resolution("退费", "误收"))
    services.close(db.session, complaint, manager, "客户联系不上")
    db.session.commit()
    items = client.get("/api/v1/complaints/archive-gaps", headers=headers).json["items"]
    assert [(i["complaint"]["id"], i["missing"]) for i in items] == [
        (complaint.id, ["confirmation", "attachments"])]


def test_resolving_with_an_improvement_action_that_does_not_exist_is_refused(client):
    user, headers = _handler()
    complaint = make_complaint(actor=user, now=utcnow() - timedelta(hours=3))
    base = f"/api/v1/complaints/{complaint.id}"
    client.post(f"{base}/acknowledge", json={"text": "已致歉"}, headers=headers)
    response = client.post(f"{base}/resolve", headers=headers, json={
        "resolution": "退还上门费", "root_cause": "网点误收费", "improvement_action_id": 2**31 - 1})
    assert response.status_code == 422
    assert "improvement_action_id" in response.get_data(as_text=True)
