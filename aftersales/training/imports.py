"""Import staff and certificates from an XLSX workbook: every row checked first, then all
rows or none.

The first sheet is read; its first row names the columns (English names or the usual
Chinese ones), in any order; other columns are ignored. Rows are numbered as the
spreadsheet shows them (the header is row 1); empty rows are skipped.

Staff columns: employee_no (工号)*, name (姓名)*, post (岗位)*, department (部门)*,
outlet_code (网点编码), service_management (服务管理人员: 是/否), work_types (作业类型,
separated by commas or 、), username (登录账号), manager_employee_no (上级工号).
Certificate columns: employee_no (工号)*, type (证书类型)*, number (证书编号)*,
issuer (发证机关)*, issued_on (发证日期)*, expires_on (有效期至).
A row whose employee number (staff) or type and number (certificate) is on record, or
repeats an earlier row, is an error: importing the same file twice changes nothing.
"""

import io
import re
import zipfile
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from aftersales.core import spreadsheet
from aftersales.core.errors import ValidationFailed
from aftersales.core.imports import ImportRefused, RowError
from aftersales.core.models import User
from aftersales.outlets import services as outlet_services
from aftersales.training import services
from aftersales.training.models import (
    CERTIFICATE_TYPES,
    DEPARTMENTS,
    POSTS,
    WORK_TYPES,
    Certificate,
    Staff,
)

MAX_ROWS = 20_000
MAX_COLUMNS = 64
NO_FILE = _l("Choose the XLSX file to import.")

STAFF_COLUMNS = {
    "employee_no": ("employee_no", "工号", "员工编号"),
    "name": ("name", "姓名"),
    "post": ("post", "岗位"),
    "department": ("department", "部门"),
    "outlet_code": ("outlet_code", "网点编码", "网点"),
    "service_management": ("service_management", "服务管理人员", "是否服务管理人员"),
    "work_types": ("work_types", "作业类型"),
    "username": ("username", "登录账号", "账号"),
    "manager_employee_no": ("manager_employee_no", "上级工号"),
}
STAFF_REQUIRED = ("employee_no", "name", "post", "department")
CERTIFICATE_COLUMNS = {
    "employee_no": ("employee_no", "工号", "员工编号"),
    "type": ("type", "证书类型", "证书"),
    "number": ("number", "证书编号", "编号"),
    "issuer": ("issuer", "发证机关", "发证单位"),
    "issued_on": ("issued_on", "发证日期"),
    "expires_on": ("expires_on", "有效期至", "到期日期"),
}
CERTIFICATE_REQUIRED = ("employee_no", "type", "number", "issuer", "issued_on")

# Chinese words accepted for the coded values, besides the codes themselves.
POST_WORDS = {"服务经理": "service_manager", "售后服务经理": "service_manager",
              "技术员": "technician", "维修工程师": "technician", "维修工": "technician",
              "客服": "agent", "客服专员": "agent", "调度员": "dispatcher", "培训师": "trainer",
              "监督员": "supervisor", "其他": "other"}
DEPARTMENT_WORDS = {"售后服务部": "after_sales", "售后部": "after_sales",
                    "监督部": "supervision", "服务监督部": "supervision",
                    "客服中心": "customer_service", "技术部": "technical", "质量部": "quality",
                    "其他": "other"}
CERTIFICATE_WORDS = {"售后服务管理师": "service_manager", "电工证": "electrician",
                     "电工": "electrician", "制冷作业证": "refrigeration", "制冷": "refrigeration",
                     "燃气": "gas", "燃气作业证": "gas", "登高作业": "height_work",
                     "登高作业证": "height_work"}
WORK_WORDS = {"维修": "repair", "安装": "installation", "保养": "maintenance",
              "送货": "delivery", "退货": "return", "回收": "recycling"}
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0", ""}


def _cell(value) -> str | date:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, columns: dict, required: tuple[str, ...]
              ) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {column: value}) of every non-empty row."""
    if not content:
        raise ValidationFailed(NO_FILE, field="file")
    if spreadsheet.xlsx_too_large(content):
        raise ValidationFailed(_l("The workbook unpacks to more than %(mb)d MB; split it.",
                                  mb=spreadsheet.MAX_XLSX_UNCOMPRESSED // 1048576), field="file")
    from openpyxl import load_workbook  # loaded on the first import, not at start-up

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationFailed(_l("This is not an XLSX workbook."), field="file") from error
    sheet = workbook.worksheets[0]
    # Every row read counts, empty ones too: a sheet of a million blank rows is refused
    # after MAX_ROWS of them, not read to its end; columns past MAX_COLUMNS are not read.
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = next(rows, None)
    if header is None:
        raise ValidationFailed(_l("The file is empty."), field="file")
    names = {alias.lower(): column for column, aliases in columns.items() for alias in aliases}
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        column = names.get(str(name or "").strip().lower())
        if column is not None:
            positions.setdefault(column, position)
    missing = [column for column in required if column not in positions]
    if missing:
        raise ValidationFailed(
            _l("The header row must name the columns %(columns)s.", columns=", ".join(missing)),
            field="file",
        )
    found = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ValidationFailed(
                _l("At most %(count)d rows at a time (empty rows count).", count=MAX_ROWS),
                field="file")
        record = {column: _cell(values[position]) if position < len(values) else ""
                  for column, position in positions.items()}
        if all(value == "" for value in record.values()):
            continue
        found.append((number, record))
    workbook.close()
    if not found:
        raise ValidationFailed(_l("The file has a header but no rows."), field="file")
    return found


def _coded(value, codes: tuple[str, ...], words: dict[str, str]) -> str | None:
    text = str(value).strip()
    if text in codes:
        return text
    return words.get(text)


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _refuse_if(errors: list[RowError]) -> None:
    if errors:
        raise ImportRefused(errors, len({error.row for error in errors}))


# --- staff -----------------------------------------------------------------------------


def import_staff(session: Session, content: bytes) -> int:
    rows = read_rows(content, STAFF_COLUMNS, STAFF_REQUIRED)
    numbers = {str(r["employee_no"]) for _, r in rows} | {
        str(r.get("manager_employee_no", "")) for _, r in rows
    }
    on_record = dict(session.execute(
        select(Staff.employee_no, Staff.id).where(Staff.employee_no.in_(numbers - {""}))
    ).all())
    outlets = outlet_services.outlet_ids_by_code(
        session, (str(r.get("outlet_code", "")) for _, r in rows))
    usernames = {str(r.get("username", "")) for _, r in rows} - {""}
    users = dict(session.execute(
        select(User.username, User.id).where(User.username.in_(usernames))
    ).all())
    linked = set(session.scalars(select(Staff.user_id).where(Staff.user_id.in_(users.values()))))
    errors: list[RowError] = []
    drafts: list[tuple[dict, list[str], str]] = []
    seen_numbers: set[str] = set()
    seen_users: set[int] = set()
    managers: list[tuple[int, str]] = []
    for row, record in rows:
        def fail(field: str, reason, row=row) -> None:
            errors.append(RowError(row, field, str(reason)))

        number = str(record["employee_no"])
        if not number:
            fail("employee_no", _l("Required."))
        elif len(number) > 32:
            fail("employee_no", _l("At most %(count)d characters.", count=32))
        elif number in on_record:
            fail("employee_no", _l("This employee number is on record already."))
        elif number in seen_numbers:
            fail("employee_no", _l("This employee number repeats an earlier row."))
        seen_numbers.add(number)
        name = str(record["name"])
        if not name or len(name) > 50:
            fail("name", _l("Required, at most 50 characters."))
        post = _coded(record["post"], POSTS, POST_WORDS)
        if post is None:
            fail("post", _l("Not a known post."))
        department = _coded(record["department"], DEPARTMENTS, DEPARTMENT_WORDS)
        if department is None:
            fail("department", _l("Not a known department."))
        outlet_id = None
        if record.get("outlet_code"):
            outlet_id = outlets.get(str(record["outlet_code"]))
            if outlet_id is None:
                fail("outlet_code", _l("No outlet has this code."))
        flag = str(record.get("service_management", "")).strip().lower()
        if flag not in YES | NO:
            fail("service_management", _l("Write 是 or 否."))
        work_types = []
        for word in re.split(r"[,，、;；\s]+", str(record.get("work_types", ""))):
            if word:
                code = _coded(word, WORK_TYPES, WORK_WORDS)
                if code is None:
                    fail("work_types", _l("Not a known work type: %(word)s", word=word))
                else:
                    work_types.append(code)
        user_id = None
        if record.get("username"):
            user_id = users.get(str(record["username"]))
            if user_id is None:
                fail("username", _l("No login has this user name."))
            elif user_id in linked or user_id in seen_users:
                fail("username", _l("This login belongs to another member of staff."))
            else:
                seen_users.add(user_id)
        manager = str(record.get("manager_employee_no", ""))
        if manager:
            managers.append((row, manager))
        drafts.append(({
            "employee_no": number, "name": name, "post": post, "department": department,
            "outlet_id": outlet_id, "is_service_management": flag in YES, "user_id": user_id,
        }, work_types, manager))
    # A manager may be named before their own row: checked after reading them all.
    errors.extend(
        RowError(row, "manager_employee_no", str(_l("No member of staff has this number.")))
        for row, manager in managers if manager not in on_record and manager not in seen_numbers
    )
    _refuse_if(sorted(errors, key=lambda e: e.row))
    created: dict[str, int] = {}
    for values, work_types, _manager in drafts:
        created[values["employee_no"]] = services.create_staff(
            session, work_types=work_types, **values).id
    for values, _work_types, manager in drafts:
        if manager:
            staff = session.get(Staff, created[values["employee_no"]])
            staff.manager_id = on_record.get(manager) or created[manager]
    session.flush()
    return len(drafts)


# --- certificates ----------------------------------------------------------------------


def import_certificates(session: Session, content: bytes) -> int:
    rows = read_rows(content, CERTIFICATE_COLUMNS, CERTIFICATE_REQUIRED)
    staff_ids = dict(session.execute(select(Staff.employee_no, Staff.id).where(
        Staff.employee_no.in_({str(r["employee_no"]) for _, r in rows})
    )).all())
    keys = {(_coded(r["type"], CERTIFICATE_TYPES, CERTIFICATE_WORDS), str(r["number"]))
            for _, r in rows}
    on_record = {tuple(row) for row in session.execute(
        select(Certificate.type, Certificate.number)
        .where(tuple_(Certificate.type, Certificate.number).in_(keys))
    )} if keys else set()
    errors: list[RowError] = []
    drafts: list[dict] = []
    seen: set[tuple] = set()
    for row, record in rows:
        def fail(field: str, reason, row=row) -> None:
            errors.append(RowError(row, field, str(reason)))

        staff_id = staff_ids.get(str(record["employee_no"]))
        if staff_id is None:
            fail("employee_no", _l("No member of staff has this number."))
        kind = _coded(record["type"], CERTIFICATE_TYPES, CERTIFICATE_WORDS)
        if kind is None:
            fail("type", _l("Not a known certificate type."))
        number = str(record["number"])
        if not number or len(number) > 64:
            fail("number", _l("Required, at most 64 characters."))
        elif (kind, number) in on_record:
            fail("number", _l("This certificate is on record already."))
        elif (kind, number) in seen:
            fail("number", _l("This certificate repeats an earlier row."))
        seen.add((kind, number))
        issuer = str(record["issuer"])
        if not issuer or len(issuer) > 100:
            fail("issuer", _l("Required, at most 100 characters."))
        issued_on = _day(record["issued_on"])
        if issued_on is None:
            fail("issued_on", _l("Not a date (YYYY-MM-DD)."))
        expires_on = _day(record.get("expires_on", ""))
        if record.get("expires_on") and expires_on is None:
            fail("expires_on", _l("Not a date (YYYY-MM-DD)."))
        elif expires_on and issued_on and expires_on < issued_on:
            fail("expires_on", _l("A certificate expires after it is issued."))
        drafts.append({"staff_id": staff_id, "type": kind, "number": number, "issuer": issuer,
                       "issued_on": issued_on, "expires_on": expires_on})
    _refuse_if(errors)
    for draft in drafts:
        session.add(Certificate(**draft))
    session.flush()
    return len(drafts)


def template(kind: str) -> bytes:
    """An empty workbook with the header row (Chinese names) and one example row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if kind == "staff":
        sheet.append(["工号", "姓名", "岗位", "部门", "网点编码", "服务管理人员", "作业类型",
                      "登录账号", "上级工号"])
        sheet.append(["E10001", "张三", "维修工程师", "售后服务部", "BJ-01", "否", "维修、安装",
                      "", ""])
    else:
        sheet.append(["工号", "证书类型", "证书编号", "发证机关", "发证日期", "有效期至"])
        sheet.append(["E10001", "电工证", "T110101199001011234", "北京市应急管理局",
                      "2024-03-01", "2030-03-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
