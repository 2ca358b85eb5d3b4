"""XLSX import of staff and certificates: per-row errors, nothing half-imported."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from aftersales.core.errors import ValidationFailed
from aftersales.extensions import db
from aftersales.training import imports, services
from aftersales.training.models import Certificate, Staff
from tests.factories import bearer, make_outlet, make_token, make_user
from tests.training.factories import make_staff


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


STAFF_HEADER = ("工号", "姓名", "岗位", "部门", "网点编码", "服务管理人员", "作业类型", "登录账号",
                "上级工号")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_staff_are_imported_with_chinese_headers_and_words():
    outlet = make_outlet("BJ-01")
    user = make_user("technician", username="zhao")
    content = workbook(
        STAFF_HEADER,
        ("E1", "赵强", "维修工程师", "售后服务部", "BJ-01", "否", "维修、安装", "zhao", "E2"),
        ("E2", "李静", "service_manager", "after_sales", "", "是", "", "", ""),
        ("E3", "吴昊", "监督员", "服务监督部", "", "", "", "", ""),
    )
    assert imports.import_staff(db.session, content) == 3
    first = db.session.scalar(select(Staff).where(Staff.employee_no == "E1"))
    manager = db.session.scalar(select(Staff).where(Staff.employee_no == "E2"))
    assert (first.outlet_id, first.user_id, first.manager_id) == (outlet.id, user.id, manager.id)
    assert services.work_types_of(db.session, [first.id])[first.id] == ["installation", "repair"]
    assert manager.is_service_management is True
    assert db.session.scalar(select(Staff.department).where(Staff.employee_no == "E3")) == \
        "supervision"


def test_bad_rows_are_all_reported_and_nothing_is_imported():
    make_staff(employee_no="E9")
    content = workbook(
        STAFF_HEADER,
        ("E1", "好人", "technician", "after_sales", "", "否", "", "", ""),
        ("E9", "重复", "technician", "after_sales", "", "否", "", "", ""),
        ("E3", "", "厨师", "after_sales", "XX-99", "也许", "飞行", "nobody", "E404"),
        (None, None, None, None, None, None, None, None, None),  # an empty row is skipped
        ("E1", "又一个", "technician", "after_sales", "", "否", "", "", ""),
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_staff(db.session, content)
    found = {(e.row, e.field) for e in refused.value.rows}
    assert found == {
        (3, "employee_no"), (4, "name"), (4, "post"), (4, "outlet_code"),
        (4, "service_management"), (4, "work_types"), (4, "username"),
        (4, "manager_employee_no"), (6, "employee_no"),
    }
    assert refused.value.bad_rows == 3
    db.session.rollback()
    assert count(Staff) == 1


def test_certificates_are_imported_and_a_repeat_changes_nothing():
    make_staff(employee_no="E1")
    content = workbook(
        ("工号", "证书类型", "证书编号", "发证机关", "发证日期", "有效期至"),
        ("E1", "电工证", "T1", "北京市应急管理局", date(2024, 3, 1), "2030-03-01"),
        ("E1", "售后服务管理师", "S1", "中国商业联合会", "2025/01/10", ""),
    )
    assert imports.import_certificates(db.session, content) == 2
    db.session.commit()
    assert db.session.scalar(select(Certificate.expires_on).where(Certificate.number == "S1")) \
        is None
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_certificates(db.session, content)
    assert {(e.row, e.field) for e in refused.value.rows} == {(2, "number"), (3, "number")}


def test_certificate_rows_with_bad_values():
    make_staff(employee_no="E1")
    content = workbook(
        ("employee_no", "type", "number", "issuer", "issued_on", "expires_on"),
        ("E404", "electrician", "T1", "局", "2024-01-01", ""),
        ("E1", "驾照", "T2", "局", "2024-01-01", ""),
        ("E1", "electrician", "T3", "局", "明天", "2020-01-01"),
        ("E1", "electrician", "T4", "局", "2024-01-01", "2023-01-01"),
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_certificates(db.session, content)
    assert {(e.row, e.field) for e in refused.value.rows} == {
        (2, "employee_no"), (3, "type"), (4, "issued_on"), (5, "expires_on")}


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        imports.import_staff(db.session, b"employee_no,name\nE1,x\n")
    assert refused.value.field == "file"


def test_a_missing_required_column_is_named():
    with pytest.raises(ValidationFailed) as refused:
        imports.import_staff(db.session, workbook(("工号", "姓名")))
    assert "post" in str(refused.value.message)


def test_the_api_reports_rows(client):
    headers = bearer(make_token(make_user("trainer")))
    content = workbook(STAFF_HEADER, ("E1", "", "technician", "after_sales"))
    response = client.post("/api/v1/staff/import", headers=headers,
                           data={"file": (io.BytesIO(content), "staff.xlsx")})
    assert response.status_code == 422
    assert response.json["rows"] == [{"row": 2, "field": "name",
                                      "reason": response.json["rows"][0]["reason"]}]
    assert count(Staff) == 0


def test_the_templates_import_cleanly():
    make_outlet("BJ-01")
    assert imports.import_staff(db.session, imports.template("staff")) == 1
    assert imports.import_certificates(db.session, imports.template("certificates")) == 1
