"""The training pages' forms on the form layer: every refused field named at once beside
its input, uploads read as files, the import's rows listed, rules and plans added."""

import io

from sqlalchemy import func, select

from aftersales.extensions import db
from aftersales.training import sessions
from aftersales.training.models import (
    Courseware,
    QualificationRule,
    Staff,
    TrainingPlan,
    TrainingSession,
)
from tests.conftest import csrf_from
from tests.factories import make_outlet, make_user
from tests.training.factories import attend, make_session, make_staff
from tests.training.test_imports import STAFF_HEADER, workbook

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _trainer(client, sign_in, **grant):
    make_user("trainer", username="trainer1", **grant)
    sign_in("trainer1")


def _post(client, url, data, **options):
    return client.post(url, data={"csrf_token": csrf_from(client, url), **data}, **options)


def _errors_on(response) -> set[str]:
    page = response.get_data(as_text=True)
    return {name for name in ("topic", "kind", "starts_at", "ends_at", "place", "pass_mark",
                              "employee_no", "name", "outlet_id", "manager_no", "username",
                              "file", "year", "planned_hours", "product_category")
            if f'id="e-{name}"' in page}


def test_a_session_form_names_every_refused_field_at_once(client, sign_in):
    _trainer(client, sign_in)
    response = _post(client, "/training/sessions/new", {
        "topic": "", "kind": "technical", "trainer": "周婷", "starts_at": "tomorrow",
        "ends_at": "2026-11-23T16:00", "place": "培训室", "pass_mark": "150"})
    assert response.status_code == 422
    assert _errors_on(response) == {"topic", "starts_at", "pass_mark"}
    assert 'value="tomorrow"' in response.get_data(as_text=True)  # typed text kept
    assert count(TrainingSession) == 0


def test_a_session_outside_the_trainers_outlets_is_refused(client, sign_in):
    home, away = make_outlet("BJ-01"), make_outlet("SH-01")
    _trainer(client, sign_in, outlet_id=home.id)
    response = _post(client, "/training/sessions/new", {
        "topic": "安全用电", "kind": "technical", "trainer": "周婷", "place": "培训室",
        "starts_at": "2026-11-23T14:00", "ends_at": "2026-11-23T16:00",
        "outlet_id": str(away.id)})
    assert (response.status_code, _errors_on(response)) == (422, {"outlet_id"})


def test_the_staff_form_names_an_unknown_manager_and_login_together(client, sign_in):
    _trainer(client, sign_in)
    response = _post(client, "/training/staff/new", {
        "employee_no": "E1", "name": "赵强", "post": "technician", "department": "after_sales",
        "manager_no": "NOBODY", "username": "nobody"})
    assert response.status_code == 422
    assert _errors_on(response) == {"manager_no", "username"}
    assert count(Staff) == 0


def test_a_staff_member_cannot_be_placed_outside_the_trainers_outlets(client, sign_in):
    home, away = make_outlet("BJ-01"), make_outlet("SH-01")
    _trainer(client, sign_in, outlet_id=home.id)
    staff = make_staff(outlet_id=home.id)
    response = _post(client, f"/training/staff/{staff.id}/edit", {
        "employee_no": staff.employee_no, "name": staff.name, "post": "technician",
        "department": "after_sales", "outlet_id": str(away.id), "is_active": "1"})
    assert (response.status_code, _errors_on(response)) == (422, {"outlet_id"})
    db.session.expire_all()
    assert staff.outlet_id == home.id


def test_exam_scores_out_of_range_are_named_on_their_rows(client, sign_in):
    _trainer(client, sign_in)
    first, second = make_staff(), make_staff()
    training = make_session(pass_mark=60)
    attend(training, first, second)
    url = f"/training/sessions/{training.id}"
    response = _post(client, url, {
        "action": "scores", "scores.0.staff_id": str(first.id), "scores.0.score": "101",
        "scores.1.staff_id": str(second.id), "scores.1.score": "七十"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="e-score-{first.id}"' in page and f'id="e-score-{second.id}"' in page
    assert 'value="七十"' in page
    assert [line.attendance.score for line in sessions.roster(db.session, training.id)] == [
        None, None]


def test_courseware_is_uploaded_from_the_session_page(client, sign_in):
    _trainer(client, sign_in)
    training = make_session()
    url = f"/training/sessions/{training.id}"
    missing = _post(client, url, {"action": "courseware",
                                  "file": (io.BytesIO(b""), "")},
                    content_type="multipart/form-data")
    assert (missing.status_code, _errors_on(missing)) == (422, {"file"})
    response = _post(client, url, {"action": "courseware", "file": (io.BytesIO(PDF), "讲义.pdf")},
                     content_type="multipart/form-data")
    assert response.status_code == 302
    assert [f.original_name for f in sessions.courseware_of(db.session, training.id)] == [
        "讲义.pdf"]
    assert count(Courseware) == 1


def test_an_unknown_session_form_is_refused(client, sign_in):
    _trainer(client, sign_in)
    training = make_session()
    response = _post(client, f"/training/sessions/{training.id}", {"action": "delete"})
    assert response.status_code == 422


def test_the_import_page_lists_the_bad_rows_and_imports_nothing(client, sign_in):
    _trainer(client, sign_in)
    content = workbook(STAFF_HEADER, ("E1", "赵强", "维修工程师", "售后服务部", "", "", "", "", ""),
                       ("E2", "", "nonsense", "售后服务部", "", "", "", "", ""))
    response = _post(client, "/training/import", {
        "kind": "staff", "file": (io.BytesIO(content), "staff.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="import-errors"' in response.get_data(as_text=True)
    assert count(Staff) == 0


def test_the_import_page_asks_for_a_file_and_imports_a_good_one(client, sign_in):
    _trainer(client, sign_in)
    missing = _post(client, "/training/import", {"kind": "staff"})
    assert (missing.status_code, _errors_on(missing)) == (422, {"file"})
    content = workbook(STAFF_HEADER, ("E1", "赵强", "维修工程师", "售后服务部", "", "", "", "", ""))
    response = _post(client, "/training/import", {
        "kind": "staff", "file": (io.BytesIO(content), "staff.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert count(Staff) == 1


def test_rules_and_plans_are_added_and_refused_from_their_pages(client, sign_in):
    make_user("manager", username="boss")
    sign_in("boss")
    refused = _post(client, "/training/rules", {"certificate_type": "electrician"})
    assert (refused.status_code, _errors_on(refused)) == (422, {"product_category"})
    added = _post(client, "/training/rules", {"certificate_type": "electrician",
                                              "work_type": "installation"})
    assert added.status_code == 302 and count(QualificationRule) == 1
    refused = _post(client, "/training/plans", {"year": "1999", "title": "年度计划",
                                                "planned_hours": "x"})
    assert (refused.status_code, _errors_on(refused)) == (422, {"year", "planned_hours"})
    added = _post(client, "/training/plans", {"year": "2027", "title": "年度计划",
                                              "planned_sessions": "12"})
    assert added.status_code == 302
    assert db.session.scalar(select(TrainingPlan.planned_sessions)) == 12
