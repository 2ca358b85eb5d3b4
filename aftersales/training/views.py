"""Pages: the training overview (figures, certificates expiring), staff and their
records, certificates with scans, import, qualification rules, annual plans, sessions
(QR code, roster, courseware, exam scores, exports) and the trainee's phone sign-in."""

import io
import re
from datetime import datetime, timedelta

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.clock import DEFAULT_ZONE, local_today, to_zone, utcnow
from aftersales.core.errors import DomainError
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.training import exports, files, imports, labels, services, sessions
from aftersales.training import figures as training_figures
from aftersales.training.models import (
    CERTIFICATE_TYPES,
    DEPARTMENTS,
    POSTS,
    SESSION_KINDS,
    WORK_TYPES,
)

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="templates")
PAGE_SIZE = 30
EXPIRY_WINDOW = 90
BAD_TIME = _l("Not a time.")
BAD_DATE = _l("Not a date.")
BAD_NUMBER = _l("A whole number.")


@bp.context_processor
def _labels():
    return {
        "kind_label": labels.kind, "post_label": labels.post,
        "department_label": labels.department, "certificate_label": labels.certificate,
        "method_label": labels.method, "work_type_label": labels.work_type,
        "percent": lambda share: "—" if share is None else f"{share * 100:.1f}%",
        "kinds": SESSION_KINDS, "posts": POSTS, "departments": DEPARTMENTS,
        "certificate_types": CERTIFICATE_TYPES, "work_types": WORK_TYPES,
        "post_options": [(p, labels.post(p)) for p in POSTS],
        "department_options": [(d, labels.department(d)) for d in DEPARTMENTS],
        "type_options": [(t, labels.certificate(t)) for t in CERTIFICATE_TYPES],
        "kind_options": [(k, labels.kind(k)) for k in SESSION_KINDS],
        "work_type_options": [(w, labels.work_type(w)) for w in WORK_TYPES],
    }


def _problem(problem: DomainError, errors: dict, fields) -> int:
    db.session.rollback()
    field = problem.field if problem.field in fields else "_form"
    errors[field] = str(problem.message)
    return problem.status


def _int(text: str | None, field: str, errors: dict, required=False) -> int | None:
    text = (text or "").strip()
    if not text:
        if required:
            errors[field] = str(_l("Required."))
        return None
    if not re.fullmatch(r"\d{1,9}", text):
        errors[field] = str(BAD_NUMBER)
        return None
    return int(text)


def _local_time(text: str | None, field: str, errors: dict) -> datetime | None:
    """A datetime-local value (Asia/Shanghai) as an aware datetime."""
    try:
        return datetime.fromisoformat((text or "").strip()).replace(tzinfo=DEFAULT_ZONE)
    except ValueError:
        errors[field] = str(BAD_TIME)
        return None


def _date(text: str | None, field: str, errors: dict, required=False):
    from datetime import date

    text = (text or "").strip()
    if not text:
        if required:
            errors[field] = str(_l("Required."))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = str(BAD_DATE)
        return None


def _file_field(name: str = "file"):
    upload = request.files.get(name)
    return upload if upload is not None and upload.filename else None


# --- overview --------------------------------------------------------------------------


@bp.route("/")
@requires("training.read")
def index():
    today = local_today()
    scope = scope_of(current_user, "training.read")
    return render_template(
        "training/index.html", figures=training_figures.figures(db.session, today),
        expiring=services.expiring_certificates(
            db.session, scope, today, today + timedelta(days=EXPIRY_WINDOW)),
        today=today, window=EXPIRY_WINDOW,
    )


# --- staff -----------------------------------------------------------------------------


@bp.route("/staff")
@requires("training.read")
def staff_list():
    args = request.args
    outlet_id = int(args["outlet"]) if args.get("outlet", "").isdigit() else None
    filters = services.StaffFilters(
        outlet_id=outlet_id,
        department=args.get("department") if args.get("department") in DEPARTMENTS else None,
        post=args.get("post") if args.get("post") in POSTS else None,
        query=(args.get("q") or "").strip()[:50] or None,
        active=args.get("left") != "1",
    )
    page = services.list_staff(db.session, scope_of(current_user, "training.read"), filters,
                               args.get("cursor"), PAGE_SIZE)
    return render_template(
        "training/staff_list.html", page=page, filters=filters,
        outlets=dict((o[0], o[2]) for o in outlet_services.outlet_choices(db.session)),
        outlet_choices=outlet_services.outlet_choices(db.session),
        hours=sessions.hours_by_staff(db.session, local_today().year,
                                      [s.id for s in page.items]),
        may_write=can(current_user, "training.write"),
    )


STAFF_FORM = ("employee_no", "name", "post", "department", "outlet_id", "manager_no", "username")


def _staff_values(form, errors: dict) -> dict:
    values = {
        "employee_no": form.get("employee_no", ""), "name": form.get("name", ""),
        "post": form.get("post", ""), "department": form.get("department", ""),
        "outlet_id": _int(form.get("outlet_id"), "outlet_id", errors),
        "is_service_management": form.get("is_service_management") == "1",
        "work_types": [w for w in form.getlist("work_types") if w in WORK_TYPES],
    }
    manager_no = (form.get("manager_no") or "").strip()
    values["manager_id"] = None
    if manager_no:
        found = services.staff_ids_by_number(db.session, [manager_no], None)
        if manager_no in found:
            values["manager_id"] = found[manager_no]
        else:
            errors["manager_no"] = str(_l("No member of staff has this number."))
    username = (form.get("username") or "").strip()
    values["user_id"] = None
    if username:
        try:
            values["user_id"] = core_services.find_user(db.session, username).id
        except DomainError:
            errors["username"] = str(_l("No login has this user name."))
    return values


@bp.route("/staff/new", methods=["GET", "POST"])
@requires("training.write")
def staff_new():
    errors: dict[str, str] = {}
    form = request.form if request.method == "POST" else {}
    status = 200
    if request.method == "POST":
        values = _staff_values(request.form, errors)
        if not errors:
            try:
                staff = services.create_staff(db.session, **values)
            except DomainError as problem:
                status = _problem(problem, errors, STAFF_FORM)
            else:
                flash(_("%(name)s added.", name=staff.name), "success")
                return redirect(url_for("training.staff_show", staff_id=staff.id))
        status = status if status != 200 else 422
    return render_template(
        "training/staff_form.html", form=form, errors=errors,
        outlet_options=_outlet_options(),
    ), status


def _outlet_options() -> list[tuple[int, str]]:
    return [(id_, f"{code} {name}") for id_, code, name, _r in
            outlet_services.outlet_choices(db.session)]


@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@requires("training.write")
def staff_edit(staff_id):
    staff = services.get_staff(db.session, staff_id, scope_of(current_user, "training.write"))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = request.form
        values = _staff_values(request.form, errors)
        values["is_active"] = form.get("is_active") == "1"
        if not errors:
            try:
                services.update_staff(db.session, staff, **values)
            except DomainError as problem:
                status = _problem(problem, errors, STAFF_FORM)
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("training.staff_show", staff_id=staff.id))
        status = status if status != 200 else 422
    else:
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
    return render_template(
        "training/staff_form.html", form=form, errors=errors, staff=staff,
        outlet_options=_outlet_options(),
    ), status


@bp.route("/staff/<int:staff_id>", methods=["GET", "POST"])
@requires("training.read")
def staff_show(staff_id):
    scope = scope_of(current_user, "training.read")
    staff = services.get_staff(db.session, staff_id, scope)
    errors: dict[str, str] = {}
    status = 200
    form = {}
    if request.method == "POST":
        if not can(current_user, "training.write"):
            abort(403)
        form = request.form
        status = _add_certificate(staff, errors)
        if status == 201:
            return redirect(url_for("training.staff_show", staff_id=staff.id))
    record = sessions.training_record(db.session, staff.id)
    hours: dict[int, float] = {}
    for line in record:
        year = to_zone(line.starts_at).year
        hours[year] = round(hours.get(year, 0) + line.minutes / 60, 1)
    today = local_today()
    return render_template(
        "training/staff_show.html", staff=staff, errors=errors, form=form,
        certificates=services.certificates_of(db.session, staff.id), record=record,
        hours=sorted(hours.items(), reverse=True), today=today,
        work_types_held=services.work_types_of(db.session, [staff.id])[staff.id],
        manager_name=services.staff_names(db.session, [staff.manager_id]).get(staff.manager_id),
        outlet_name={o[0]: o[2] for o in outlet_services.outlet_choices(db.session)}.get(
            staff.outlet_id),
        may_write=can(current_user, "training.write"),
    ), status


CERTIFICATE_FORM = ("type", "number", "issuer", "issued_on", "expires_on", "file")


def _add_certificate(staff, errors: dict) -> int:
    form = request.form
    services.get_staff(db.session, staff.id, scope_of(current_user, "training.write"))
    issued_on = _date(form.get("issued_on"), "issued_on", errors, required=True)
    expires_on = _date(form.get("expires_on"), "expires_on", errors)
    if errors:
        return 422
    try:
        scan = _file_field()
        stored = (files.store(db.session, scan.read(), scan.filename, "certificate_scan",
                              current_user.id) if scan else None)
        certificate = services.add_certificate(
            db.session, staff, type=form.get("type", ""), number=form.get("number", ""),
            issuer=form.get("issuer", ""), issued_on=issued_on, expires_on=expires_on,
            scan_file_id=stored.id if stored else None,
        )
    except DomainError as problem:
        return _problem(problem, errors, CERTIFICATE_FORM)
    flash(_("Certificate %(number)s added.", number=certificate.number), "success")
    return 201


@bp.route("/staff/<int:staff_id>/record.<any(pdf, xlsx):fmt>")
@requires("training.read")
def staff_record_export(staff_id, fmt):
    staff = services.get_staff(db.session, staff_id, scope_of(current_user, "training.read"))
    sheet = exports.training_record(db.session, staff)
    return _download(sheet, fmt, f"training-record-{staff.employee_no}")


def _download(sheet, fmt: str, stem: str):
    if fmt == "pdf":
        content, mimetype = exports.pdf(sheet), "application/pdf"
    else:
        content = exports.xlsx(sheet)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True,
                     download_name=f"{stem}.{fmt}")


@bp.route("/files/<int:file_id>")
@requires("training.read")
def download_file(file_id):
    found = files.read_permitted(db.session, file_id, scope_of(current_user, "training.read"))
    return send_file(io.BytesIO(found.content), mimetype=found.file.content_type,
                     as_attachment=True, download_name=found.file.original_name)


# --- import ----------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@requires("training.write")
def import_page():
    errors: dict[str, str] = {}
    refused = None
    kind = request.form.get("kind", "staff")
    status = 200
    if request.method == "POST":
        upload = _file_field()
        importer = imports.import_staff if kind == "staff" else imports.import_certificates
        try:
            if upload is None:
                raise imports.ValidationFailed(imports.NO_FILE, field="file")
            count = importer(db.session, upload.read())
        except imports.ImportRefused as problem:
            db.session.rollback()
            refused, status = problem, 422
        except DomainError as problem:
            status = _problem(problem, errors, ("file",))
        else:
            flash(_("%(count)d rows imported.", count=count), "success")
            return redirect(url_for("training.import_page"))
    return render_template("training/import.html", errors=errors, refused=refused,
                           kind=kind), status


@bp.route("/import/template-<any(staff, certificates):kind>.xlsx")
@requires("training.write")
def import_template(kind):
    return send_file(
        io.BytesIO(imports.template(kind)), as_attachment=True,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        download_name=f"{kind}-template.xlsx",
    )


# --- rules -----------------------------------------------------------------------------


@bp.route("/rules", methods=["GET", "POST"])
@requires("training.read")
def rules():
    errors: dict[str, str] = {}
    status = 200
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        if not can(current_user, "training.rules"):
            abort(403)
        try:
            services.add_rule(
                db.session, certificate_type=form.get("certificate_type", ""),
                product_category=form.get("product_category") or None,
                work_type=form.get("work_type") or None, note=form.get("note", ""),
            )
        except DomainError as problem:
            status = _problem(problem, errors, ("certificate_type", "product_category",
                                                "work_type", "note"))
        else:
            flash(_("Rule added."), "success")
            return redirect(url_for("training.rules"))
    return render_template("training/rules.html", rules=services.list_rules(db.session),
                           errors=errors, form=form,
                           may_edit=can(current_user, "training.rules")), status


@bp.route("/rules/<int:rule_id>/delete", methods=["POST"])
@requires("training.rules")
def delete_rule(rule_id):
    services.delete_rule(db.session, rule_id)
    flash(_("Rule removed."), "success")
    return redirect(url_for("training.rules"))


# --- plans -----------------------------------------------------------------------------


@bp.route("/plans", methods=["GET", "POST"])
@requires("training.read")
def plans():
    errors: dict[str, str] = {}
    status = 200
    form = request.form if request.method == "POST" else {"year": str(local_today().year)}
    if request.method == "POST":
        if not can(current_user, "training.write"):
            abort(403)
        year = _int(form.get("year"), "year", errors, required=True)
        planned_sessions = _int(form.get("planned_sessions"), "planned_sessions", errors) or 0
        planned_hours = _int(form.get("planned_hours"), "planned_hours", errors) or 0
        if not errors:
            try:
                sessions.create_plan(db.session, current_user.id, year=year,
                                     title=form.get("title", ""), content=form.get("content", ""),
                                     planned_sessions=planned_sessions,
                                     planned_hours=planned_hours)
            except DomainError as problem:
                status = _problem(problem, errors, ("year", "title", "content",
                                                    "planned_sessions", "planned_hours"))
            else:
                flash(_("Plan added."), "success")
                return redirect(url_for("training.plans"))
        status = status if status != 200 else 422
    found = sessions.list_plans(db.session)
    return render_template(
        "training/plans.html", plans=found, errors=errors, form=form,
        progress=sessions.plan_progress(db.session, [p.id for p in found]),
        may_write=can(current_user, "training.write"),
    ), status


# --- sessions --------------------------------------------------------------------------


@bp.route("/sessions")
@requires("training.read")
def session_list():
    kind = request.args.get("kind") if request.args.get("kind") in SESSION_KINDS else None
    page = sessions.list_sessions(
        db.session, scope_of(current_user, "training.read"), sessions.SessionFilters(kind=kind),
        request.args.get("cursor"), PAGE_SIZE,
    )
    return render_template(
        "training/sessions.html", page=page, kind=kind,
        counts=sessions.attendance_counts(db.session, [s.id for s in page.items]),
        may_write=can(current_user, "training.write"),
    )


SESSION_FORM = ("topic", "kind", "trainer", "starts_at", "ends_at", "place", "outlet_id",
                "plan_id", "pass_mark")


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires("training.write")
def session_new():
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = request.form
        starts_at = _local_time(form.get("starts_at"), "starts_at", errors)
        ends_at = _local_time(form.get("ends_at"), "ends_at", errors)
        outlet_id = _int(form.get("outlet_id"), "outlet_id", errors)
        plan_id = _int(form.get("plan_id"), "plan_id", errors)
        pass_mark = _int(form.get("pass_mark"), "pass_mark", errors)
        scope = scope_of(current_user, "training.write")
        if not scope.everywhere and outlet_id not in scope.outlet_ids:
            errors["outlet_id"] = str(_l("Outside the outlets you work for."))
        if not errors:
            try:
                training = sessions.create_session(
                    db.session, current_user.id, topic=form.get("topic", ""),
                    kind=form.get("kind", ""), trainer=form.get("trainer", ""),
                    starts_at=starts_at, ends_at=ends_at, place=form.get("place", ""),
                    outlet_id=outlet_id, plan_id=plan_id, pass_mark=pass_mark,
                )
            except DomainError as problem:
                status = _problem(problem, errors, SESSION_FORM)
            else:
                flash(_("Session created."), "success")
                return redirect(url_for("training.session_show", session_id=training.id))
        status = status if status != 200 else 422
    else:
        start = (utcnow() + timedelta(hours=1)).astimezone(DEFAULT_ZONE).replace(
            minute=0, second=0, microsecond=0)
        form = {"starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "trainer": current_user.display_name.split(" ")[-1], "pass_mark": "60"}
    return render_template(
        "training/session_form.html", form=form, errors=errors, outlets=_outlet_options(),
        plan_options=[(p.id, f"{p.year} {p.title}") for p in sessions.list_plans(db.session)],
    ), status


def _sign_in_url(training) -> str:
    return url_for("training.sign_in", token=training.sign_in_token, _external=True)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@requires("training.read")
def session_show(session_id):
    training = sessions.get_session(db.session, session_id,
                                    scope_of(current_user, "training.read"))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not can(current_user, "training.write"):
            abort(403)
        sessions.get_session(db.session, session_id, scope_of(current_user, "training.write"))
        action = request.form.get("action")
        handler = {"enrol": _enrol, "roster": _roster, "scores": _scores,
                   "courseware": _courseware}.get(action)
        if handler is None:
            abort(400)
        try:
            message = handler(training, errors)
        except DomainError as problem:
            status = _problem(problem, errors, ("employee_nos", "scores", "file"))
        else:
            if not errors:
                flash(message, "success")
                return redirect(url_for("training.session_show", session_id=training.id))
            status = 422
    counts = sessions.attendance_counts(db.session, [training.id])[training.id]
    return render_template(
        "training/session_show.html", training=training, errors=errors,
        roster=sessions.roster(db.session, training.id), counts=counts,
        courseware=sessions.courseware_of(db.session, training.id),
        sign_in_url=_sign_in_url(training), sign_in_open=sessions.sign_in_open(training, utcnow()),
        may_write=can(current_user, "training.write"), form=request.form,
    ), status


def _enrol(training, errors: dict) -> str:
    numbers = [n for n in re.split(r"[\s,，、;；]+", request.form.get("employee_nos", "")) if n]
    if not numbers:
        errors["employee_nos"] = str(_l("Give one or more employee numbers."))
        return ""
    found = services.staff_ids_by_number(db.session, numbers,
                                         scope_of(current_user, "training.write"))
    unknown = [n for n in numbers if n not in found]
    if unknown:
        errors["employee_nos"] = str(_l("Unknown employee numbers: %(numbers)s",
                                        numbers=", ".join(unknown)))
        return ""
    added = sessions.enrol(db.session, training, found.values())
    return _("%(count)d added to the roster.", count=added)


def _roster(training, errors: dict) -> str:
    present = {int(v) for v in request.form.getlist("present") if v.isdigit()}
    sessions.tick_roster(db.session, training, present)
    return _("Roster saved.")


def _scores(training, errors: dict) -> str:
    scores: dict[int, int | None] = {}
    for key, value in request.form.items():
        if not key.startswith("score-") or not key[6:].isdigit():
            continue
        value = value.strip()
        if value and not re.fullmatch(r"\d{1,3}", value):
            errors["scores"] = str(_l("A score is 0 to 100."))
            return ""
        scores[int(key[6:])] = int(value) if value else None
    sessions.record_scores(db.session, training, scores)
    return _("Scores saved.")


def _courseware(training, errors: dict) -> str:
    upload = _file_field()
    if upload is None:
        errors["file"] = str(files.NO_FILE)
        return ""
    stored = files.store(db.session, upload.read(), upload.filename, "courseware",
                         current_user.id)
    sessions.add_courseware(db.session, training, stored.id)
    return _("%(name)s uploaded.", name=stored.original_name)


@bp.route("/sessions/<int:session_id>/qr.svg")
@requires("training.read")
def session_qr(session_id):
    training = sessions.get_session(db.session, session_id,
                                    scope_of(current_user, "training.read"))
    buffer = io.BytesIO()
    segno.make(_sign_in_url(training), error="m").save(buffer, kind="svg", scale=6, border=2,
                                                       title=training.topic)
    return Response(buffer.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})


@bp.route("/sessions/<int:session_id>/sign-in-sheet.<any(pdf, xlsx):fmt>")
@requires("training.read")
def sign_in_sheet(session_id, fmt):
    training = sessions.get_session(db.session, session_id,
                                    scope_of(current_user, "training.read"))
    if fmt == "pdf":  # the bilingual sheet an audit package samples, as of now
        return send_file(io.BytesIO(exports.render_sign_in_sheet(db.session, training)),
                         mimetype="application/pdf", as_attachment=True,
                         download_name=f"sign-in-sheet-{training.id}.pdf")
    return _download(exports.sign_in_sheet(db.session, training), fmt,
                     f"sign-in-sheet-{training.id}")


# --- the trainee's phone ---------------------------------------------------------------


@bp.route("/sign-in/<token>", methods=["GET", "POST"])
@requires("training.sign_in")
def sign_in(token):
    training = sessions.session_by_token(db.session, token)
    staff = services.staff_of_user(db.session, current_user.id)
    error = None
    status = 200
    attendance = sessions.attendance_of(db.session, training.id, staff.id) if staff else None
    if request.method == "POST":
        try:
            attendance = sessions.sign_in(db.session, training, current_user.id)
        except DomainError as problem:
            db.session.rollback()
            error, status = str(problem.message), problem.status
        else:
            return redirect(url_for("training.sign_in", token=token))
    return render_template(
        "training/sign_in.html", training=training, staff=staff, attendance=attendance,
        error=error, open=sessions.sign_in_open(training, utcnow()), token=token,
    ), status
