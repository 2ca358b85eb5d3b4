"""The complaint pages' forms: every refused field named at once beside its input, local
times and yuan read as typed, and a refusal the page has no input for said at the top."""

from datetime import timedelta

from sqlalchemy import func, select

from aftersales.complaints import services
from aftersales.complaints.models import Complaint
from aftersales.core.clock import to_zone, utcnow
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.conftest import csrf_from
from tests.factories import make_customer, make_user


def _handler_on(client, sign_in, complaint) -> str:
    make_user("complaint_handler", username="sunli")
    sign_in("sunli")
    return csrf_from(client, f"/complaints/{complaint.id}")


def _stored(complaint_id: int) -> Complaint:
    db.session.expire_all()
    return services.get_complaint(db.session, complaint_id)


def test_the_intake_form_names_every_refused_field_at_once(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷")
    sign_in("zhangmin")
    token = csrf_from(client, f"/complaints/new?customer_id={customer.id}")
    response = client.post("/complaints/new", data={
        "customer_id": customer.id, "channel": "hotline", "category": "service_attitude",
        "summary": "", "description": "", "received_at": "yesterday", "ticket_id": "last week",
        "csrf_token": token})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    for name in ("summary", "description", "received_at", "ticket_id"):
        assert f'id="e-{name}"' in body
    assert 'value="last week"' in body and "李雷" in body  # the form comes back as typed
    assert db.session.scalar(select(func.count(Complaint.id))) == 0


def test_the_time_received_is_read_in_local_time(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    token = csrf_from(client, f"/complaints/new?customer_id={customer.id}")
    received = (utcnow() - timedelta(hours=5)).replace(second=0, microsecond=0)
    response = client.post("/complaints/new", data={
        "customer_id": customer.id, "channel": "hotline", "category": "service_attitude",
        "summary": "态度差", "description": "客服挂电话", "csrf_token": token,
        "received_at": to_zone(received).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert db.session.scalar(select(Complaint.received_at)) == received


def test_the_resolve_form_takes_yuan_and_names_each_missing_part(client, sign_in):
    complaint = make_complaint(now=utcnow() - timedelta(hours=3))
    services.acknowledge(db.session, complaint, None, "已致歉")
    db.session.commit()
    token = _handler_on(client, sign_in, complaint)
    path = f"/complaints/{complaint.id}/steps"
    refused = client.post(path, data={"step": "resolve", "resolution": "", "root_cause": "",
                                      "compensation": "12.345", "csrf_token": token})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    for name in ("resolution", "root_cause", "compensation"):
        assert f'id="e-{name}"' in body
    resolved = client.post(path, data={"step": "resolve", "resolution": "换新机",
                                       "root_cause": "压缩机故障", "compensation": "200.50",
                                       "csrf_token": token})
    assert resolved.status_code == 302
    assert _stored(complaint.id).compensation_fen == 20050


def test_a_step_refused_for_the_complaints_state_is_said_at_the_top(client, sign_in):
    complaint = make_complaint(now=utcnow() - timedelta(hours=3))
    services.pause(db.session, complaint, None, "等客户发票")
    db.session.commit()
    token = _handler_on(client, sign_in, complaint)
    response = client.post(f"/complaints/{complaint.id}/steps",
                           data={"step": "pause", "reason": "再等", "csrf_token": token})
    assert response.status_code == 409
    assert 'class="form-error" role="alert"' in response.get_data(as_text=True)


def test_an_unknown_step_is_refused_and_nothing_changes(client, sign_in):
    complaint = make_complaint(now=utcnow() - timedelta(hours=3))
    token = _handler_on(client, sign_in, complaint)
    response = client.post(f"/complaints/{complaint.id}/steps",
                           data={"step": "delete", "csrf_token": token})
    assert response.status_code == 422
    assert 'class="form-error" role="alert"' in response.get_data(as_text=True)
    assert _stored(complaint.id).state == "received"


def test_an_attachment_must_be_a_file(client, sign_in):
    complaint = make_complaint(now=utcnow() - timedelta(hours=3))
    token = _handler_on(client, sign_in, complaint)
    path = f"/complaints/{complaint.id}/attachments"
    for data in ({"file": "%PDF-1.4 typed, not uploaded"}, {}):
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 422
        assert 'id="e-file"' in response.get_data(as_text=True)
    assert services.attachments_of(db.session, complaint.id) == []


def test_a_refused_response_from_the_queue_names_the_complaint(client, sign_in):
    make_user("complaint_handler", username="sunli")
    complaint = make_complaint(now=utcnow() - timedelta(hours=2))
    sign_in("sunli")
    token = csrf_from(client, "/complaints?mine=1")
    response = client.post(f"/complaints/{complaint.id}/queue-response?mine=1",
                           data={"text": "", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/complaints?mine=1")
    page = client.get("/complaints").get_data(as_text=True)
    assert f'<p class="flash flash-error" role="status">{complaint.number}: ' in page
    assert _stored(complaint.id).state == "received"


def test_the_board_names_a_day_it_cannot_read_and_shows_the_last_year(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    response = client.get("/complaints/board?from=2026-13-01")
    assert response.status_code == 200
    assert 'id="e-from"' in response.get_data(as_text=True)
