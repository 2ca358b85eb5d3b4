"""Pages: the staff list, adding and editing a member of staff, one person with their
certificates (scans uploaded here) and training record (routes on the training blueprint)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today, to_zone
from aftersales.core.errors import NotFound
from aftersales.core.forms import (
    FormRefused,
    form_input,
    on_refusal,
    placed,
    query_input,
    submitted,
)
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.training import exports, files, services, sessions
from aftersales.training.blueprint import bp
from aftersales.training.page_parts import PAGE_SIZE, download, outlet_options
from aftersales.training.schemas import (
    CertificateFormSchema,
    StaffEditFormSchema,
    StaffFormSchema,
    StaffListQuerySchema,
)

STAFF_FIELDS = frozenset({"employee_no", "name", "post", "department", "outlet_id",
                          "manager_no", "username"})
# The services name the people by id; the form by employee number and user name.
INPUT_OF = {"manager_id": "manager_no", "user_id": "username"}
CERTIFICATE_FIELDS = frozenset({"type", "number", "issuer", "issued_on", "expires_on", "file"})


@bp.route("/staff")
@requires("training.read")
def staff_list():
    query, _errors = query_input(StaffListQuerySchema())  # a bad filter value is ignored
    filters = services.StaffFilters(
        outlet_id=query["outlet_id"], department=query["department"], post=query["post"],
        query=query["query"], active=not query["left"],
    )
    page = services.list_staff(db.session, scope_of(current_user, "training.read"), filters,
                               query["cursor"], PAGE_SIZE)
    choices = outlet_services.outlet_choices(db.session)
    return render_template(
        "training/staff_list.html", page=page, filters=filters,
        outlets={id_: name for id_, _code, name, _region in choices}, outlet_choices=choices,
        hours=sessions.hours_by_staff(db.session, local_today().year,
                                      [s.id for s in page.items]),
        may_write=can(current_user, "training.write"),
    )


def _render_staff_form(errors: dict, status: int, staff=None, form=None):
    errors = placed({INPUT_OF.get(name, name): reason for name, reason in errors.items()},
                    STAFF_FIELDS)
    return render_template(
        "training/staff_form.html", form=form or submitted(), errors=errors, staff=staff,
        outlet_options=outlet_options(),
    ), status


def _staff_values(data: dict) -> dict:
    """The form's values with the manager and the login as ids, the outlet in the actor's
    scope; every name that finds nobody is refused at once."""
    services.ensure_outlet_in_scope(db.session, scope_of(current_user, "training.write"),
                                    data["outlet_id"])
    manager_no, username = data.pop("manager_no"), data.pop("username")
    unknown = {}
    data["manager_id"] = services.staff_ids_by_number(db.session, [manager_no], None).get(
        manager_no) if manager_no else None
    if manager_no and data["manager_id"] is None:
        unknown["manager_no"] = str(_l("No member of staff has this number."))
    data["user_id"] = None
    if username:
        try:
            data["user_id"] = core_services.find_user(db.session, username).id
        except NotFound:
            unknown["username"] = str(_l("No login has this user name."))
    if unknown:
        raise FormRefused(unknown)
    return data


@bp.route("/staff/new")
@requires("training.write")
def staff_new():
    return _render_staff_form({}, 200)


@bp.route("/staff/new", methods=["POST"])
@requires("training.write")
@on_refusal(_render_staff_form)
def create_staff():
    staff = services.create_staff(db.session, **_staff_values(form_input(StaffFormSchema())))
    flash(_("%(name)s added.", name=staff.name), "success")
    return redirect(url_for("training.staff_show", staff_id=staff.id))


def _writable_staff(staff_id: int):
    return services.get_staff(db.session, staff_id, scope_of(current_user, "training.write"))


def _as_stored(staff) -> MultiDict:
    form = MultiDict({
        "employee_no": staff.employee_no, "name": staff.name, "post": staff.post,
        "department": staff.department, "outlet_id": staff.outlet_id or "",
        "is_service_management": "1" if staff.is_service_management else "",
        "is_active": "1" if staff.is_active else "",
        "manager_no": services.employee_numbers(db.session, [staff.manager_id]).get(
            staff.manager_id, ""),
        "username": core_services.get_user(db.session, staff.user_id).username
        if staff.user_id else "",
    })
    for work_type in services.work_types_of(db.session, [staff.id])[staff.id]:
        form.add("work_types", work_type)
    return form


@bp.route("/staff/<int:staff_id>/edit")
@requires("training.write")
def staff_edit(staff_id):
    staff = _writable_staff(staff_id)
    return _render_staff_form({}, 200, staff, _as_stored(staff))


@bp.route("/staff/<int:staff_id>/edit", methods=["POST"])
@requires("training.write")
@on_refusal(lambda errors, status, staff_id: _render_staff_form(
    errors, status, _writable_staff(staff_id)))
def save_staff(staff_id):
    staff = _writable_staff(staff_id)
    services.update_staff(db.session, staff, **_staff_values(form_input(StaffEditFormSchema())))
    flash(_("Saved."), "success")
    return redirect(url_for("training.staff_show", staff_id=staff.id))


def _render_staff(errors: dict, status: int, staff_id: int):
    # Read in the user's scope again: a person they may not see stays a 404.
    staff = services.get_staff(db.session, staff_id, scope_of(current_user, "training.read"))
    record = sessions.training_record(db.session, staff.id)
    hours: dict[int, float] = {}
    for line in record:
        year = to_zone(line.starts_at).year
        hours[year] = round(hours.get(year, 0) + line.minutes / 60, 1)
    return render_template(
        "training/staff_show.html", staff=staff, errors=placed(errors, CERTIFICATE_FIELDS),
        form=submitted(), certificates=services.certificates_of(db.session, staff.id),
        record=record, hours=sorted(hours.items(), reverse=True), today=local_today(),
        work_types_held=services.work_types_of(db.session, [staff.id])[staff.id],
        manager_name=services.staff_names(db.session, [staff.manager_id]).get(staff.manager_id),
        outlet_name={o[0]: o[2] for o in outlet_services.outlet_choices(db.session)}.get(
            staff.outlet_id),
        may_write=can(current_user, "training.write"),
    ), status


@bp.route("/staff/<int:staff_id>")
@requires("training.read")
def staff_show(staff_id):
    return _render_staff({}, 200, staff_id)


@bp.route("/staff/<int:staff_id>", methods=["POST"])
@requires("training.write")
@on_refusal(_render_staff)
def add_certificate(staff_id):
    staff = _writable_staff(staff_id)
    data = form_input(CertificateFormSchema())
    scan = data.pop("file")
    stored = (files.store(db.session, scan.read(), scan.filename, "certificate_scan",
                          current_user.id) if scan else None)
    certificate = services.add_certificate(db.session, staff, **data,
                                           scan_file_id=stored.id if stored else None)
    flash(_("Certificate %(number)s added.", number=certificate.number), "success")
    return redirect(url_for("training.staff_show", staff_id=staff.id))


@bp.route("/staff/<int:staff_id>/record.<any(pdf, xlsx):fmt>")
@requires("training.read")
def staff_record_export(staff_id, fmt):
    staff = services.get_staff(db.session, staff_id, scope_of(current_user, "training.read"))
    return download(exports.training_record(db.session, staff), fmt,
                    f"training-record-{staff.employee_no}")
