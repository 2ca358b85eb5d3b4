"""The training pages through the test client: forms, errors beside fields, access."""

import io
from datetime import UTC, datetime, timedelta

from aftersales.core.clock import utcnow
from aftersales.extensions import db
from aftersales.training import sessions
from aftersales.training.models import Attendance, Certificate, TrainingSession
from tests.conftest import csrf_from
from tests.factories import make_outlet, make_user
from tests.training.factories import attend, make_certificate, make_session, make_staff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_every_page_renders_for_a_trainer(client, sign_in):
    make_user("trainer", username="trainer1")
    staff = make_staff(outlet_id=make_outlet().id)
    make_certificate(staff, expires_on=datetime.now(UTC).date() + timedelta(days=20))
    training = make_session()
    attend(training, staff, score=80)
    sign_in("trainer1")
    for path in ("/training/", "/training/staff", "/training/staff/new",
                 f"/training/staff/{staff.id}", "/training/sessions", "/training/sessions/new",
                 f"/training/sessions/{training.id}", "/training/plans", "/training/rules",
                 "/training/import"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert client.get(f"/training/sessions/{training.id}/qr.svg").mimetype == "image/svg+xml"


def test_an_agent_is_refused_the_training_pages(client, sign_in):
    make_user("agent", username="agent1")
    sign_in("agent1")
    assert client.get("/training/").status_code == 403


def test_creating_a_session_with_the_end_before_the_start_shows_the_error(client, sign_in):
    make_user("trainer", username="trainer1")
    sign_in("trainer1")
    token = csrf_from(client, "/training/sessions/new")
    response = client.post("/training/sessions/new", data={
        "csrf_token": token, "topic": "安全用电", "kind": "technical", "trainer": "周婷",
        "starts_at": "2026-11-23T14:00", "ends_at": "2026-11-23T13:00", "place": "培训室",
        "pass_mark": "60"})
    assert response.status_code == 422
    assert 'id="e-ends_at"' in response.get_data(as_text=True)


def test_a_trainer_creates_a_session_in_local_time(client, sign_in):
    make_user("trainer", username="trainer1")
    sign_in("trainer1")
    token = csrf_from(client, "/training/sessions/new")
    response = client.post("/training/sessions/new", data={
        "csrf_token": token, "topic": "安全用电", "kind": "service_culture", "trainer": "周婷",
        "starts_at": "2026-11-23T14:00", "ends_at": "2026-11-23T16:30", "place": "培训室",
        "pass_mark": ""})
    assert response.status_code == 302
    training = db.session.query(TrainingSession).one()
    assert training.starts_at == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    assert (training.minutes, training.pass_mark) == (150, None)


def test_a_certificate_with_a_lying_scan_is_refused_beside_the_field(client, sign_in):
    make_user("trainer", username="trainer1")
    staff = make_staff()
    sign_in("trainer1")
    token = csrf_from(client, f"/training/staff/{staff.id}")
    response = client.post(f"/training/staff/{staff.id}", data={
        "csrf_token": token, "type": "electrician", "number": "X1", "issuer": "应急管理局",
        "issued_on": "2024-01-01", "expires_on": "",
        "file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "scan.png")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="e-file"' in response.get_data(as_text=True)
    assert db.session.query(Certificate).count() == 0


def test_a_certificate_with_its_scan_from_the_page(client, sign_in):
    make_user("trainer", username="trainer1")
    staff = make_staff()
    sign_in("trainer1")
    token = csrf_from(client, f"/training/staff/{staff.id}")
    response = client.post(f"/training/staff/{staff.id}", data={
        "csrf_token": token, "type": "electrician", "number": "X1", "issuer": "应急管理局",
        "issued_on": "2024-01-01", "expires_on": "2027-01-01",
        "file": (io.BytesIO(PDF), "scan.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    certificate = db.session.query(Certificate).one()
    assert client.get(f"/training/files/{certificate.scan_file_id}").data == PDF


def test_the_trainee_signs_in_on_the_sign_in_page(client, sign_in):
    user = make_user("technician", username="tech1")
    staff = make_staff(user_id=user.id)
    training = make_session(starts_at=utcnow() - timedelta(minutes=5))
    sign_in("tech1")
    url = f"/training/sign-in/{training.sign_in_token}"
    token = csrf_from(client, url)
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    attendance = db.session.query(Attendance).one()
    assert (attendance.staff_id, attendance.method) == (staff.id, "qr")


def test_roster_ticks_and_scores_from_the_session_page(client, sign_in):
    make_user("trainer", username="trainer1")
    first, second = make_staff(), make_staff()
    training = make_session(pass_mark=60)
    sign_in("trainer1")
    url = f"/training/sessions/{training.id}"
    token = csrf_from(client, url)
    response = client.post(url, data={"csrf_token": token, "action": "enrol",
                                      "employee_nos": f"{first.employee_no} {second.employee_no}"})
    assert response.status_code == 302
    client.post(url, data={"csrf_token": token, "action": "roster", "present": [str(first.id)]})
    client.post(url, data={"csrf_token": token, "action": "scores",
                           "scores.0.staff_id": str(first.id), "scores.0.score": "75"})
    lines = {line.attendance.staff_id: line.attendance for line in
             sessions.roster(db.session, training.id)}
    assert lines[first.id].passed is True and lines[second.id].signed_in_at is None


def test_unknown_employee_numbers_are_named(client, sign_in):
    make_user("trainer", username="trainer1")
    training = make_session()
    sign_in("trainer1")
    url = f"/training/sessions/{training.id}"
    response = client.post(url, data={"csrf_token": csrf_from(client, url), "action": "enrol",
                                      "employee_nos": "NOPE1"})
    assert response.status_code == 422
    assert "NOPE1" in response.get_data(as_text=True)


def test_a_trainer_edits_a_member_of_staff_and_marks_them_as_left(client, sign_in):
    make_user("trainer", username="trainer1")
    login = make_user("technician", username="tech1")
    boss = make_staff("service_manager", employee_no="B1")
    staff = make_staff(work_types=["repair"], user_id=login.id)
    sign_in("trainer1")
    url = f"/training/staff/{staff.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="tech1"' in page and 'value="repair" checked' in page
    response = client.post(url, data={
        "csrf_token": csrf_from(client, url), "employee_no": staff.employee_no, "name": "新名字",
        "post": "technician", "department": "after_sales", "outlet_id": "",
        "work_types": ["repair", "installation"], "manager_no": "B1", "username": "tech1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (staff.name, staff.manager_id, staff.is_active, staff.user_id) == (
        "新名字", boss.id, False, login.id)


def _queries(client, count_queries, path) -> int:
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_staff_list_and_session_page_take_the_same_queries_for_more_rows(
        client, sign_in, count_queries):
    make_user("trainer", username="trainer1")
    sign_in("trainer1")
    training = make_session()
    attend(training, make_staff(), score=70)
    session_path = f"/training/sessions/{training.id}"
    staff_list, session_page = (_queries(client, count_queries, "/training/staff"),
                                _queries(client, count_queries, session_path))
    attend(training, *[make_staff() for _ in range(6)], score=80)
    assert _queries(client, count_queries, "/training/staff") == staff_list
    assert _queries(client, count_queries, session_path) == session_page
