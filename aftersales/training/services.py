"""Staff, certificates and the qualification rules; what dispatch asks of them.

Functions take a session and values, flush, and leave the commit to the caller.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from aftersales.core.audit import label_change
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope
from aftersales.outlets import services as outlet_services
from aftersales.training.models import (
    CERTIFICATE_TYPES,
    DEPARTMENTS,
    POSTS,
    WORK_TYPES,
    Certificate,
    QualificationRule,
    Staff,
    StaffWorkType,
)

STAFF_FIELDS = ("employee_no", "name", "post", "department", "outlet_id",
                "is_service_management", "is_active", "manager_id", "user_id")


def _require(value, field: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not text:
        raise ValidationFailed(_l("Required."), field=field)
    if len(text) > limit:
        raise ValidationFailed(_l("At most %(count)d characters.", count=limit), field=field)
    return text


def _choice(value, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise ValidationFailed(_l("Not one of the choices."), field=field)
    return value


def scoped_staff(stmt, scope: Scope | None):
    return outlet_services.in_scope(stmt, scope, Staff.outlet_id)


# --- staff ---------------------------------------------------------------------------


def _check_staff(session: Session, staff: Staff | None, values: dict) -> dict:
    checked = dict(values)
    if "employee_no" in values:
        checked["employee_no"] = _require(values["employee_no"], "employee_no", 32)
        clash = session.scalar(
            select(Staff.id).where(Staff.employee_no == checked["employee_no"])
        )
        if clash is not None and (staff is None or clash != staff.id):
            raise Conflict(_l("This employee number is taken."), field="employee_no")
    if "name" in values:
        checked["name"] = _require(values["name"], "name", 50)
    if "post" in values:
        _choice(values["post"], POSTS, "post")
    if "department" in values:
        _choice(values["department"], DEPARTMENTS, "department")
    if values.get("outlet_id") is not None:
        outlet_services.get_outlet(session, values["outlet_id"])
    if values.get("manager_id") is not None:
        if staff is not None and values["manager_id"] == staff.id:
            raise ValidationFailed(_l("Nobody is their own manager."), field="manager_id")
        get_staff(session, values["manager_id"], field="manager_id")
    if values.get("user_id") is not None:
        clash = session.scalar(select(Staff.id).where(Staff.user_id == values["user_id"]))
        if clash is not None and (staff is None or clash != staff.id):
            raise Conflict(_l("This login belongs to another member of staff."), field="user_id")
    return checked


def _set_work_types(session: Session, staff: Staff, work_types: Iterable[str]) -> None:
    wanted = set(work_types)
    for work_type in wanted:
        _choice(work_type, WORK_TYPES, "work_types")
    held = set(session.scalars(
        select(StaffWorkType.work_type).where(StaffWorkType.staff_id == staff.id)
    ))
    for work_type in held - wanted:
        session.delete(session.get(StaffWorkType, (staff.id, work_type)))
    for work_type in sorted(wanted - held):
        session.add(StaffWorkType(staff_id=staff.id, work_type=work_type))


def create_staff(session: Session, *, work_types: Iterable[str] = (), **values) -> Staff:
    unknown = set(values) - set(STAFF_FIELDS)
    if unknown:
        raise ValidationFailed(_l("Unknown field."), field=sorted(unknown)[0])
    for field in ("employee_no", "name", "post", "department"):
        values.setdefault(field, None)
    staff = Staff(**_check_staff(session, None, values))
    session.add(staff)
    session.flush()
    _set_work_types(session, staff, work_types)
    session.flush()
    return staff


def update_staff(session: Session, staff: Staff, *, work_types=None, **values) -> Staff:
    unknown = set(values) - set(STAFF_FIELDS)
    if unknown:
        raise ValidationFailed(_l("Unknown field."), field=sorted(unknown)[0])
    for key, value in _check_staff(session, staff, values).items():
        setattr(staff, key, value)
    if work_types is not None:
        _set_work_types(session, staff, work_types)
    session.flush()
    return staff


def ensure_outlet_in_scope(session: Session, scope: Scope, outlet_id: int | None) -> None:
    """A record placed at `outlet_id` (None: headquarters) must lie in the actor's outlets
    or regions: a trainer granted a region trains every outlet in it."""
    if scope.everywhere:
        return
    region = outlet_services.region_code_of(session, outlet_id) if outlet_id is not None else None
    if not scope.allows(outlet_id, region):
        raise ValidationFailed(_l("Outside the outlets you work for."), field="outlet_id")


def get_staff(session: Session, staff_id: int, scope: Scope | None = None,
              field: str | None = None) -> Staff:
    staff = session.scalar(scoped_staff(select(Staff).where(Staff.id == staff_id), scope))
    if staff is None:
        raise NotFound(_l("No such member of staff."), field=field)
    return staff


def staff_of_user(session: Session, user_id: int) -> Staff | None:
    return session.scalar(select(Staff).where(Staff.user_id == user_id))


def work_types_of(session: Session, staff_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = set(staff_ids)
    found: dict[int, list[str]] = {staff_id: [] for staff_id in ids}
    if ids:
        rows = session.execute(
            select(StaffWorkType.staff_id, StaffWorkType.work_type)
            .where(StaffWorkType.staff_id.in_(ids))
            .order_by(StaffWorkType.work_type)
        )
        for staff_id, work_type in rows:
            found[staff_id].append(work_type)
    return found


@dataclass(frozen=True)
class StaffFilters:
    outlet_id: int | None = None
    department: str | None = None
    post: str | None = None
    query: str | None = None
    active: bool | None = True


def list_staff(session: Session, scope: Scope, filters: StaffFilters, cursor: str | None,
               limit: int) -> Page:
    stmt = scoped_staff(select(Staff), scope)
    if filters.outlet_id is not None:
        stmt = stmt.where(Staff.outlet_id == filters.outlet_id)
    if filters.department:
        stmt = stmt.where(Staff.department == filters.department)
    if filters.post:
        stmt = stmt.where(Staff.post == filters.post)
    if filters.active is not None:
        stmt = stmt.where(Staff.is_active == filters.active)
    if filters.query:
        text = filters.query.strip()
        stmt = stmt.where(or_(Staff.employee_no == text,
                              Staff.name.contains(text, autoescape=True)))
    return keyset_page(session, stmt, Staff.id, cursor, limit, newest_first=False)


def employee_numbers(session: Session, staff_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {staff_id for staff_id in staff_ids if staff_id is not None}
    if not ids:
        return {}
    return dict(
        session.execute(select(Staff.id, Staff.employee_no).where(Staff.id.in_(ids))).all()
    )


def staff_names(session: Session, staff_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {staff_id for staff_id in staff_ids if staff_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())


# --- certificates ----------------------------------------------------------------------


def is_valid_on(on: date):
    """SQL: the certificate is in force on `on`."""
    return and_(
        Certificate.issued_on <= on,
        or_(Certificate.expires_on.is_(None), Certificate.expires_on >= on),
    )


def add_certificate(session: Session, staff: Staff, *, type: str, number: str, issuer: str,
                    issued_on: date, expires_on: date | None = None,
                    scan_file_id: int | None = None) -> Certificate:
    _choice(type, CERTIFICATE_TYPES, "type")
    number = _require(number, "number", 64)
    issuer = _require(issuer, "issuer", 100)
    if not isinstance(issued_on, date):
        raise ValidationFailed(_l("Not a date."), field="issued_on")
    if expires_on is not None and expires_on < issued_on:
        raise ValidationFailed(_l("A certificate expires after it is issued."),
                               field="expires_on")
    clash = session.scalar(
        select(Certificate.id).where(Certificate.type == type, Certificate.number == number)
    )
    if clash is not None:
        raise Conflict(_l("A certificate of this type with this number is on record."),
                       field="number")
    certificate = Certificate(
        staff_id=staff.id, type=type, number=number, issuer=issuer, issued_on=issued_on,
        expires_on=expires_on, scan_file_id=scan_file_id,
    )
    session.add(certificate)
    session.flush()
    return certificate


def get_certificate(session: Session, certificate_id: int, scope: Scope | None = None
                    ) -> Certificate:
    stmt = scoped_staff(
        select(Certificate).join(Staff, Staff.id == Certificate.staff_id)
        .where(Certificate.id == certificate_id), scope,
    )
    certificate = session.scalar(stmt)
    if certificate is None:
        raise NotFound(_l("No such certificate."))
    return certificate


def attach_scan(session: Session, certificate: Certificate, file_id: int) -> Certificate:
    certificate.scan_file_id = file_id
    label_change(session, certificate, "certificate:scan")
    session.flush()
    return certificate


def certificates_of(session: Session, staff_id: int) -> list[Certificate]:
    return list(session.scalars(
        select(Certificate).where(Certificate.staff_id == staff_id)
        .order_by(Certificate.type, Certificate.issued_on.desc())
    ))


def not_renewed():
    """The certificate is the holder's last of its kind: no other of the same type lasts
    longer (or does not expire). A renewed one is no longer "expiring": nobody need chase
    it, remind about it or count it."""
    later = aliased(Certificate)
    return ~exists().where(
        later.staff_id == Certificate.staff_id, later.type == Certificate.type,
        later.id != Certificate.id,
        or_(later.expires_on.is_(None), later.expires_on > Certificate.expires_on))


def expiring_certificates(session: Session, scope: Scope, on: date, until: date,
                          limit: int = 200) -> list[tuple[Certificate, str]]:
    """Certificates of active staff expiring from `on` to `until`, soonest first."""
    stmt = scoped_staff(
        select(Certificate, Staff.name).join(Staff, Staff.id == Certificate.staff_id)
        .where(Staff.is_active, Certificate.expires_on.between(on, until), not_renewed())
        .order_by(Certificate.expires_on, Certificate.id).limit(limit), scope,
    )
    return [(certificate, name) for certificate, name in session.execute(stmt)]


def expiring_count(session: Session, scope: Scope, on: date, until: date) -> int:
    """How many certificates of active staff expire from `on` to `until`, in one count."""
    stmt = scoped_staff(
        select(func.count()).select_from(Certificate).join(Staff, Staff.id == Certificate.staff_id)
        .where(Staff.is_active, Certificate.expires_on.between(on, until), not_renewed()),
        scope,
    )
    return session.scalar(stmt)


@dataclass(frozen=True)
class CertificateView:
    id: int
    type: str
    number: str
    issuer: str
    issued_on: date
    expires_on: date | None


def certificates_by_user(session: Session, user_ids: Iterable[int], on: date
                         ) -> dict[int, list[CertificateView]]:
    """The certificates in force on `on` of the active staff linked to these users, in
    one query. Users without a staff record map to an empty list."""
    ids = set(user_ids)
    found: dict[int, list[CertificateView]] = {user_id: [] for user_id in ids}
    if not ids:
        return found
    rows = session.execute(
        select(Staff.user_id, Certificate.id, Certificate.type, Certificate.number,
               Certificate.issuer, Certificate.issued_on, Certificate.expires_on)
        .join(Staff, Staff.id == Certificate.staff_id)
        .where(Staff.user_id.in_(ids), Staff.is_active, is_valid_on(on))
        .order_by(Staff.user_id, Certificate.type, Certificate.id)
    )
    for user_id, *values in rows:
        found[user_id].append(CertificateView(*values))
    return found


# --- qualification rules ---------------------------------------------------------------


def _applies(product_category: str | None, work_type: str):
    """SQL: a rule applies when each of its non-empty conditions matches the job."""
    category_matches = (
        or_(QualificationRule.product_category.is_(None),
            QualificationRule.product_category == product_category)
        if product_category
        else QualificationRule.product_category.is_(None)
    )
    return and_(
        category_matches,
        or_(QualificationRule.work_type.is_(None), QualificationRule.work_type == work_type),
    )


def required_certificates(session: Session, product_category: str | None, work_type: str
                          ) -> list[str]:
    return sorted(set(session.scalars(
        select(QualificationRule.certificate_type).where(_applies(product_category, work_type))
    )))


def missing_certificates(session: Session, *, user_id: int, product_category: str | None,
                         work_type: str, on: date) -> list[str]:
    """Certificate types the rules require for this work that the active staff member
    linked to `user_id` does not hold in force on `on` (sorted; empty: qualified). A user
    without a staff record lacks every required type. Two queries."""
    required = required_certificates(session, product_category, work_type)
    if not required:
        return []
    # Keyed on the holder (unique user_id, then the staff_id/type index), so the planner
    # never starts from the expiry index.
    holder = select(Staff.id).where(Staff.user_id == user_id, Staff.is_active).scalar_subquery()
    held = set(session.scalars(
        select(Certificate.type)
        .where(Certificate.staff_id == holder, Certificate.type.in_(required), is_valid_on(on))
    ))
    return [code for code in required if code not in held]


def list_rules(session: Session) -> list[QualificationRule]:
    return list(session.scalars(
        select(QualificationRule).order_by(
            QualificationRule.certificate_type, QualificationRule.product_category,
            QualificationRule.work_type,
        )
    ))


def add_rule(session: Session, *, certificate_type: str, product_category: str | None = None,
             work_type: str | None = None, note: str = "") -> QualificationRule:
    _choice(certificate_type, CERTIFICATE_TYPES, "certificate_type")
    product_category = (product_category or "").strip() or None
    work_type = work_type or None
    if product_category and len(product_category) > 32:
        raise ValidationFailed(_l("At most %(count)d characters.", count=32),
                               field="product_category")
    if work_type is not None:
        _choice(work_type, WORK_TYPES, "work_type")
    if product_category is None and work_type is None:
        raise ValidationFailed(_l("Name a product category, a work type or both."),
                               field="product_category")
    same = select(QualificationRule.id).where(
        QualificationRule.certificate_type == certificate_type,
        QualificationRule.product_category.is_(None) if product_category is None
        else QualificationRule.product_category == product_category,
        QualificationRule.work_type.is_(None) if work_type is None
        else QualificationRule.work_type == work_type,
    )
    if session.scalar(same) is not None:
        raise Conflict(_l("This rule exists already."), field="certificate_type")
    rule = QualificationRule(certificate_type=certificate_type, product_category=product_category,
                             work_type=work_type, note=(note or "").strip()[:200])
    session.add(rule)
    session.flush()
    return rule


def delete_rule(session: Session, rule_id: int) -> None:
    rule = session.get(QualificationRule, rule_id)
    if rule is None:
        raise NotFound(_l("No such rule."))
    session.delete(rule)
    session.flush()


def technicians_missing(session: Session, on: date):
    """SQL: a rule for a work type this staff member does (any product) whose certificate
    they do not hold in force on `on` — correlated on Staff.id."""
    held = exists().where(
        Certificate.staff_id == Staff.id,
        Certificate.type == QualificationRule.certificate_type,
        is_valid_on(on),
    ).correlate(Staff, QualificationRule)
    return exists().where(
        StaffWorkType.staff_id == Staff.id,
        QualificationRule.work_type == StaffWorkType.work_type,
        QualificationRule.product_category.is_(None),
        ~held,
    )



def staff_ids_by_number(session: Session, numbers: Iterable[str], scope: Scope | None
                        ) -> dict[str, int]:
    """Employee number -> id of the active staff among `numbers` the scope reaches."""
    wanted = set(numbers)
    if not wanted:
        return {}
    stmt = scoped_staff(
        select(Staff.employee_no, Staff.id).where(Staff.employee_no.in_(wanted), Staff.is_active),
        scope,
    )
    return dict(session.execute(stmt).all())
