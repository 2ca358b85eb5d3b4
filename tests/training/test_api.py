"""Staff, certificates, rules, sessions and figures through HTTP."""

import io
from datetime import UTC, datetime, timedelta

from aftersales.core.clock import utcnow
from aftersales.extensions import db
from aftersales.training.models import Staff
from tests.factories import bearer, make_outlet, make_token, make_user
from tests.training.factories import make_certificate, make_session, make_staff

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def headers(role="trainer", **scope):
    return bearer(make_token(make_user(role, **scope)))


STAFF = {"employee_no": "E20001", "name": "王刚", "post": "technician",
         "department": "after_sales", "work_types": ["repair", "installation"]}


def test_a_trainer_adds_a_member_of_staff(client):
    response = client.post("/api/v1/staff", json=STAFF, headers=headers())
    assert response.status_code == 201
    assert response.json["work_types"] == ["installation", "repair"]


def test_an_unknown_field_is_a_422(client):
    response = client.post("/api/v1/staff", json={**STAFF, "salary": 1}, headers=headers())
    assert response.status_code == 422
    assert "salary" in response.json["errors"]


def test_a_repeated_employee_number_is_a_409_on_its_field(client):
    auth = headers()
    client.post("/api/v1/staff", json=STAFF, headers=auth)
    response = client.post("/api/v1/staff", json=STAFF, headers=auth)
    assert response.status_code == 409
    assert list(response.json["errors"]) == ["employee_no"]


def test_one_login_links_to_one_member_of_staff(client):
    user, auth = make_user("technician"), headers()
    client.post("/api/v1/staff", json={**STAFF, "user_id": user.id}, headers=auth)
    response = client.post("/api/v1/staff", json={**STAFF, "employee_no": "E2", "user_id": user.id},
                           headers=auth)
    assert response.status_code == 409
    assert list(response.json["errors"]) == ["user_id"]


def test_an_agent_may_not_read_staff(client):
    assert client.get("/api/v1/staff", headers=headers("agent")).status_code == 403


def test_a_trainer_of_one_outlet_sees_only_its_staff(client):
    here, there = make_outlet(), make_outlet()
    mine = make_staff(outlet_id=here.id)
    make_staff(outlet_id=there.id)
    response = client.get("/api/v1/staff", headers=headers(outlet_id=here.id))
    assert [item["id"] for item in response.json["items"]] == [mine.id]


def test_a_certificate_with_its_scan(client):
    staff, auth = make_staff(), headers()
    response = client.post(f"/api/v1/staff/{staff.id}/certificates", headers=auth, json={
        "type": "electrician", "number": "T1101", "issuer": "北京市应急管理局",
        "issued_on": "2024-01-01", "expires_on": "2030-01-01"})
    assert response.status_code == 201
    certificate_id = response.json["id"]
    upload = client.post(f"/api/v1/certificates/{certificate_id}/scan", headers=auth,
                         data={"file": (io.BytesIO(PDF), "证书.pdf")})
    assert upload.status_code == 201, upload.json
    assert upload.json["content_type"] == "application/pdf"
    download = client.get(f"/api/v1/training-files/{upload.json['id']}", headers=auth)
    assert download.status_code == 200 and download.data == PDF


def test_an_upload_with_a_lying_file_name_is_refused(client):
    certificate = make_certificate(make_staff())
    fake = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200  # a Windows program
    response = client.post(f"/api/v1/certificates/{certificate.id}/scan", headers=headers(),
                           data={"file": (io.BytesIO(fake), "scan.pdf")})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["file"]


def test_an_upload_over_the_size_limit_is_refused(client, settings_changed):
    certificate = make_certificate(make_staff())
    settings_changed("core", upload_max_file_bytes=1024)
    response = client.post(f"/api/v1/certificates/{certificate.id}/scan", headers=headers(),
                           data={"file": (io.BytesIO(PNG + b"\x00" * 2000), "scan.png")})
    assert response.status_code == 422


def test_files_are_served_only_to_permitted_roles(client):
    auth = headers()
    certificate = make_certificate(make_staff())
    upload = client.post(f"/api/v1/certificates/{certificate.id}/scan", headers=auth,
                         data={"file": (io.BytesIO(PNG), "scan.png")})
    url = f"/api/v1/training-files/{upload.json['id']}"
    assert client.get(url, headers=headers("technician")).status_code == 403
    assert client.get(url).status_code == 401
    elsewhere = headers(outlet_id=make_outlet().id)
    assert client.get(url, headers=elsewhere).status_code == 404


def test_only_managers_change_qualification_rules(client):
    rule = {"certificate_type": "gas", "product_category": "water_heater"}
    assert client.post("/api/v1/qualification-rules", json=rule,
                       headers=headers("trainer")).status_code == 403
    assert client.post("/api/v1/qualification-rules", json=rule,
                       headers=headers("manager")).status_code == 201


def test_a_rule_must_say_what_work(client):
    response = client.post("/api/v1/qualification-rules", json={"certificate_type": "gas"},
                           headers=headers("manager"))
    assert response.status_code == 422


def test_checking_a_qualification(client):
    auth = headers("manager")
    client.post("/api/v1/qualification-rules", headers=auth,
                json={"certificate_type": "gas", "product_category": "water_heater"})
    user = make_user("technician")
    response = client.get(f"/api/v1/qualification-rules/check?user_id={user.id}"
                          "&product_category=water_heater&work_type=repair", headers=auth)
    assert response.json == {"required": ["gas"], "missing": ["gas"]}


def test_session_roster_scores_and_hours(client):
    auth = headers()
    people = [make_staff() for _ in range(3)]
    starts = datetime(2026, 3, 2, 1, tzinfo=UTC)
    response = client.post("/api/v1/training-sessions", headers=auth, json={
        "topic": "变频空调故障诊断", "kind": "technical", "trainer": "周婷",
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "place": "总部培训室", "pass_mark": 70})
    assert response.status_code == 201, response.json
    session_id = response.json["id"]
    assert response.json["minutes"] == 180
    ids = [p.id for p in people]
    roster = client.post(f"/api/v1/training-sessions/{session_id}/roster", headers=auth,
                         json={"staff_ids": ids, "present": ids[:2]})
    assert [line["method"] for line in roster.json] == ["roster", "roster", None]
    scored = client.post(f"/api/v1/training-sessions/{session_id}/scores", headers=auth,
                         json={"scores": [{"staff_id": ids[0], "score": 85},
                                          {"staff_id": ids[1], "score": 69}]})
    assert [line["passed"] for line in scored.json] == [True, False, None]
    absent = client.post(f"/api/v1/training-sessions/{session_id}/scores", headers=auth,
                         json={"scores": [{"staff_id": ids[2], "score": 90}]})
    assert absent.status_code == 422
    hours = client.get(f"/api/v1/staff/{ids[0]}/training-hours?year=2026", headers=auth)
    assert hours.json["hours"] == 3.0


def test_a_session_ending_before_it_starts_is_a_422(client):
    starts = datetime(2026, 3, 2, 1, tzinfo=UTC)
    response = client.post("/api/v1/training-sessions", headers=headers(), json={
        "topic": "x", "kind": "business", "trainer": "周婷", "starts_at": starts.isoformat(),
        "ends_at": starts.isoformat(), "place": "会议室"})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["ends_at"]


def test_a_trainee_signs_in_once_with_the_token(client):
    user = make_user("technician")
    staff = make_staff(user_id=user.id)
    training = make_session(starts_at=utcnow() - timedelta(minutes=10))
    auth = bearer(make_token(user))
    url = f"/api/v1/training-sessions/sign-in/{training.sign_in_token}"
    first = client.post(url, headers=auth)
    again = client.post(url, headers=auth)
    assert first.status_code == 200 and first.json["method"] == "qr"
    assert again.json["signed_in_at"] == first.json["signed_in_at"]
    assert first.json["staff_id"] == staff.id


def test_sign_in_is_closed_long_before_the_session(client):
    user = make_user("technician")
    make_staff(user_id=user.id)
    training = make_session(starts_at=utcnow() + timedelta(days=2))
    response = client.post(f"/api/v1/training-sessions/sign-in/{training.sign_in_token}",
                           headers=bearer(make_token(user)))
    assert response.status_code == 409


def test_a_wrong_token_is_a_404(client):
    response = client.post("/api/v1/training-sessions/sign-in/nope",
                           headers=headers("technician"))
    assert response.status_code == 404


def test_figures(client):
    for _ in range(10):
        make_staff("service_manager", is_service_management=True)
    make_certificate(db.session.query(Staff).first(), "service_manager")
    response = client.get("/api/v1/training/figures?on=2026-11-23", headers=headers("auditor"))
    assert response.status_code == 200
    body = response.json
    assert body["certified_managers"] == {"numerator": 1, "denominator": 10, "share": 0.1,
                                          "target": 0.1}
    assert body["certified_managers_met"] is True


def test_a_trainer_granted_a_region_adds_staff_at_an_outlet_in_it_and_not_beyond(client):
    beijing = make_outlet(region_code="110100")
    shanghai = make_outlet(region_code="310100")
    regional = headers(region_code="110100")
    inside = client.post("/api/v1/staff", json={**STAFF, "outlet_id": beijing.id},
                         headers=regional)
    beyond = client.post("/api/v1/staff", json={**STAFF, "employee_no": "E20002",
                                                "outlet_id": shanghai.id}, headers=regional)
    assert inside.status_code == 201
    assert beyond.status_code == 422 and "outlet_id" in beyond.json["errors"]
