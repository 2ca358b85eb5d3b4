"""The meetings API and pages through HTTP."""

import io

from sqlalchemy import select

from aftersales.extensions import db
from aftersales.meetings.models import CustomerMeeting
from tests.conftest import csrf_from
from tests.evidence.factories import days_ago
from tests.factories import bearer, make_token, make_user

PDF = b"%PDF-1.4\n% minutes\n"


def meeting_form(**overrides):
    return {"held_on": days_ago(3).isoformat(), "topic": "客户恳谈会", "place": "北京总部",
            "attendees": "王芳\n刘建国", **overrides}


def test_a_manager_records_a_meeting_with_minutes_through_the_api(client):
    headers = bearer(make_token(make_user("manager")))
    data = {**meeting_form(), "file": (io.BytesIO(PDF), "纪要.pdf")}
    response = client.post("/api/v1/meetings", headers=headers, data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert response.json["attendee_count"] == 2 and response.json["has_minutes"]
    minutes = client.get(f"/api/v1/meetings/{response.json['id']}/minutes", headers=headers)
    assert minutes.data == PDF
    assert minutes.headers["Content-Disposition"].startswith("attachment;")


def test_the_api_names_the_missing_field(client):
    headers = bearer(make_token(make_user("manager")))
    response = client.post("/api/v1/meetings", headers=headers,
                           data=meeting_form(attendees=""), content_type="multipart/form-data")
    assert response.status_code == 422
    assert "attendees" in response.json["errors"]
    assert db.session.scalar(select(CustomerMeeting.id)) is None


def test_an_agent_may_not_read_the_register(client):
    headers = bearer(make_token(make_user("agent")))
    assert client.get("/api/v1/meetings", headers=headers).status_code == 403


def test_the_auditor_reads_but_may_not_record(client):
    headers = bearer(make_token(make_user("auditor")))
    assert client.get("/api/v1/meetings", headers=headers).status_code == 200
    response = client.post("/api/v1/meetings", headers=headers, data=meeting_form(),
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_a_forged_cursor_is_refused_by_name(client):
    headers = bearer(make_token(make_user("manager")))
    response = client.get("/api/v1/meetings?cursor=abc", headers=headers)
    assert response.status_code == 422 and "cursor" in response.json["errors"]


def test_the_manager_records_on_the_page_and_attaches_minutes_later(client, sign_in):
    make_user("manager", username="keeper")
    sign_in("keeper")
    token = csrf_from(client, "/meetings")
    response = client.post("/meetings", data={"csrf_token": token, **meeting_form()})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "王芳" in page and 'id="attach-minutes"' in page
    meeting_id = db.session.scalar(select(CustomerMeeting.id))
    token = csrf_from(client, f"/meetings/{meeting_id}")
    attached = client.post(f"/meetings/{meeting_id}/minutes", data={
        "csrf_token": token, "file": (io.BytesIO(PDF), "纪要.pdf")},
        content_type="multipart/form-data")
    assert attached.status_code == 302
    assert "纪要.pdf" in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)


def test_the_page_shows_each_field_error(client, sign_in):
    make_user("manager", username="keeper")
    sign_in("keeper")
    token = csrf_from(client, "/meetings")
    response = client.post("/meetings", data={"csrf_token": token, "held_on": "",
                                              "topic": "", "place": "x", "attendees": ""})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="e-held_on"' in body and 'id="e-topic"' in body and 'id="e-attendees"' in body


def test_the_page_refuses_text_sent_as_the_minutes_and_an_empty_file_input(client, sign_in):
    make_user("manager", username="keeper")
    sign_in("keeper")
    token = csrf_from(client, "/meetings")
    typed = client.post("/meetings", data={"csrf_token": token, **meeting_form(),
                                           "file": "%PDF-1.4 typed, not uploaded"})
    assert typed.status_code == 422 and 'id="e-file"' in typed.get_data(as_text=True)
    assert db.session.scalar(select(CustomerMeeting.id)) is None
    recorded = client.post("/meetings", data={"csrf_token": token, **meeting_form(),
                                              "file": (io.BytesIO(b""), "")},
                           content_type="multipart/form-data")
    assert recorded.status_code == 302  # no file chosen: the meeting, minutes to follow
    meeting_id = db.session.scalar(select(CustomerMeeting.id))
    empty = client.post(f"/meetings/{meeting_id}/minutes", data={
        "csrf_token": token, "file": (io.BytesIO(b""), "")}, content_type="multipart/form-data")
    assert empty.status_code == 422 and 'id="e-file"' in empty.get_data(as_text=True)
