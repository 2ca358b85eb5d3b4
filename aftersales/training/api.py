"""/api/v1: staff, certificates (with scans), qualification rules, plans, sessions
(courseware, roster, sign-in, exam scores), training hours, the figures, XLSX import."""

import io
from dataclasses import asdict

from flask import jsonify, send_file
from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.clock import local_today
from aftersales.core.errors import CODES, ValidationFailed
from aftersales.core.openapi import ANY_FILE, file_download
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.training import figures as training_figures
from aftersales.training import files, imports, services, sessions
from aftersales.training.blueprint import blp
from aftersales.training.schemas import (
    AttendanceOutSchema,
    CertificateInSchema,
    CertificateOutSchema,
    FileOutSchema,
    FileUploadSchema,
    HoursOutSchema,
    HoursQuerySchema,
    MissingOutSchema,
    MissingQuerySchema,
    PlanInSchema,
    PlanOutSchema,
    RosterInSchema,
    RuleInSchema,
    RuleOutSchema,
    ScoresInSchema,
    SessionInSchema,
    SessionOutSchema,
    SessionPageSchema,
    SessionQuerySchema,
    SignedInSchema,
    StaffDetailSchema,
    StaffInSchema,
    StaffPageSchema,
    StaffPatchSchema,
    StaffQuerySchema,
    TrainingFiguresQuerySchema,
    TrainingFiguresSchema,
    TrainingImportedSchema,
)


def _scope(permission: str = "training.read"):
    return scope_of(current_user, permission)


def _detail(staff):
    body = StaffDetailSchema().dump(staff)
    body["work_types"] = services.work_types_of(db.session, [staff.id])[staff.id]
    return body


# --- staff -----------------------------------------------------------------------------


@blp.route("/staff")
@blp.arguments(StaffQuerySchema, location="query")
@blp.response(200, StaffPageSchema)
@requires("training.read")
def list_staff(args):
    cursor, limit = args.pop("cursor"), args.pop("limit")
    return services.list_staff(db.session, _scope(), services.StaffFilters(**args), cursor, limit)


@blp.route("/staff", methods=["POST"])
@blp.arguments(StaffInSchema)
@blp.response(201, StaffDetailSchema)
@requires("training.write")
def create_staff(data):
    services.ensure_outlet_in_scope(db.session, _scope("training.write"), data.get("outlet_id"))
    return _detail(services.create_staff(db.session, **data))


@blp.route("/staff/<int:staff_id>")
@blp.response(200, StaffDetailSchema)
@requires("training.read")
def get_staff(staff_id):
    return _detail(services.get_staff(db.session, staff_id, _scope()))


@blp.route("/staff/<int:staff_id>", methods=["PATCH"])
@blp.arguments(StaffPatchSchema)
@blp.response(200, StaffDetailSchema)
@requires("training.write")
def update_staff(data, staff_id):
    staff = services.get_staff(db.session, staff_id, _scope("training.write"))
    if "outlet_id" in data:
        services.ensure_outlet_in_scope(db.session, _scope("training.write"), data["outlet_id"])
    return _detail(services.update_staff(db.session, staff, **data))


@blp.route("/staff/<int:staff_id>/training-hours")
@blp.arguments(HoursQuerySchema, location="query")
@blp.response(200, HoursOutSchema)
@requires("training.read")
def training_hours(args, staff_id):
    staff = services.get_staff(db.session, staff_id, _scope())
    hours = sessions.hours_by_staff(db.session, args["year"], [staff.id])
    return {"year": args["year"], "staff_id": staff.id, "hours": hours.get(staff.id, 0.0)}


@blp.route("/staff/import", methods=["POST"])
@blp.arguments(FileUploadSchema, location="files")
@blp.response(201, TrainingImportedSchema)
@blp.alt_response(422, description="Per-row errors: {row, field, reason}; nothing imported.")
@requires("training.write")
def import_staff(upload):
    """An XLSX workbook (multipart field `file`), all rows or none."""
    return _import(imports.import_staff, upload)


def _import(importer, upload):
    if upload["file"] is None:
        raise ValidationFailed(imports.NO_FILE, field="file")
    try:
        count = importer(db.session, upload["file"].read())
    except imports.ImportRefused as refused:
        response = jsonify({
            "code": CODES[422], "message": str(refused.message), "errors": refused.errors,
            "rows": [asdict(error) for error in refused.rows], "bad_rows": refused.bad_rows,
        })
        response.status_code = 422
        return response
    return {"imported": count}


# --- certificates ----------------------------------------------------------------------


@blp.route("/staff/<int:staff_id>/certificates")
@blp.response(200, CertificateOutSchema(many=True))
@requires("training.read")
def list_certificates(staff_id):
    staff = services.get_staff(db.session, staff_id, _scope())
    return services.certificates_of(db.session, staff.id)


@blp.route("/staff/<int:staff_id>/certificates", methods=["POST"])
@blp.arguments(CertificateInSchema)
@blp.response(201, CertificateOutSchema)
@requires("training.write")
def add_certificate(data, staff_id):
    staff = services.get_staff(db.session, staff_id, _scope("training.write"))
    return services.add_certificate(db.session, staff, **data)


@blp.route("/certificates/import", methods=["POST"])
@blp.arguments(FileUploadSchema, location="files")
@blp.response(201, TrainingImportedSchema)
@blp.alt_response(422, description="Per-row errors: {row, field, reason}; nothing imported.")
@requires("training.write")
def import_certificates(upload):
    """An XLSX workbook (multipart field `file`), all rows or none."""
    return _import(imports.import_certificates, upload)


@blp.route("/certificates/<int:certificate_id>/scan", methods=["POST"])
@blp.arguments(FileUploadSchema, location="files")
@blp.response(201, FileOutSchema)
@requires("training.write")
def upload_scan(upload, certificate_id):
    """The scan of the certificate: PDF, JPEG or PNG by content."""
    certificate = services.get_certificate(db.session, certificate_id, _scope("training.write"))
    stored = _store(upload, "certificate_scan")
    services.attach_scan(db.session, certificate, stored.id)
    return stored


def _store(upload, purpose: str):
    if upload["file"] is None:
        raise ValidationFailed(files.NO_FILE, field="file")
    return files.store(db.session, upload["file"].read(), upload["file"].filename or "",
                       purpose, current_user.id)


@blp.route("/training-files/<int:file_id>")
@blp.doc(**file_download(ANY_FILE, description="The file as uploaded."))
@requires("training.read")
def download_file(file_id):
    found = files.read_permitted(db.session, file_id, _scope())
    return send_file(io.BytesIO(found.content), mimetype=found.file.content_type,
                     as_attachment=True, download_name=found.file.original_name)


# --- qualification rules ---------------------------------------------------------------


@blp.route("/qualification-rules")
@blp.response(200, RuleOutSchema(many=True))
@requires("training.read")
def list_rules():
    return services.list_rules(db.session)


@blp.route("/qualification-rules", methods=["POST"])
@blp.arguments(RuleInSchema)
@blp.response(201, RuleOutSchema)
@requires("training.rules")
def add_rule(data):
    return services.add_rule(db.session, **data)


@blp.route("/qualification-rules/<int:rule_id>", methods=["DELETE"])
@blp.response(204)
@requires("training.rules")
def delete_rule(rule_id):
    services.delete_rule(db.session, rule_id)


@blp.route("/qualification-rules/check")
@blp.arguments(MissingQuerySchema, location="query")
@blp.response(200, MissingOutSchema)
@requires("training.read")
def check_qualification(args):
    """Which certificates this work needs, and which of them the user's staff record lacks."""
    on = args["on"] or local_today()
    return {
        "required": services.required_certificates(
            db.session, args["product_category"], args["work_type"]),
        "missing": services.missing_certificates(
            db.session, user_id=args["user_id"], product_category=args["product_category"],
            work_type=args["work_type"], on=on),
    }


# --- plans and sessions ----------------------------------------------------------------


@blp.route("/training-plans")
@blp.response(200, PlanOutSchema(many=True))
@requires("training.read")
def list_plans():
    return sessions.list_plans(db.session)


@blp.route("/training-plans", methods=["POST"])
@blp.arguments(PlanInSchema)
@blp.response(201, PlanOutSchema)
@requires("training.write")
def create_plan(data):
    return sessions.create_plan(db.session, current_user.id, **data)


@blp.route("/training-sessions")
@blp.arguments(SessionQuerySchema, location="query")
@blp.response(200, SessionPageSchema)
@requires("training.read")
def list_sessions(args):
    cursor, limit = args.pop("cursor"), args.pop("limit")
    return sessions.list_sessions(db.session, _scope(), sessions.SessionFilters(**args),
                                  cursor, limit)


@blp.route("/training-sessions", methods=["POST"])
@blp.arguments(SessionInSchema)
@blp.response(201, SessionOutSchema)
@requires("training.write")
def create_session(data):
    services.ensure_outlet_in_scope(db.session, _scope("training.write"), data.get("outlet_id"))
    return sessions.create_session(db.session, current_user.id, **data)


@blp.route("/training-sessions/<int:session_id>")
@blp.response(200, SessionOutSchema)
@requires("training.read")
def get_session(session_id):
    return sessions.get_session(db.session, session_id, _scope())


@blp.route("/training-sessions/<int:session_id>/attendance")
@blp.response(200, AttendanceOutSchema(many=True))
@requires("training.read")
def attendance(session_id):
    training = sessions.get_session(db.session, session_id, _scope())
    return sessions.roster(db.session, training.id)


@blp.route("/training-sessions/<int:session_id>/roster", methods=["POST"])
@blp.arguments(RosterInSchema)
@blp.response(200, AttendanceOutSchema(many=True))
@requires("training.write")
def set_roster(data, session_id):
    """Put staff on the roster; with `present`, sign in those ticked (by roster)."""
    training = sessions.get_session(db.session, session_id, _scope("training.write"))
    sessions.enrol(db.session, training, data["staff_ids"])
    if data["present"] is not None:
        sessions.tick_roster(db.session, training, data["present"])
    return sessions.roster(db.session, training.id)


@blp.route("/training-sessions/<int:session_id>/scores", methods=["POST"])
@blp.arguments(ScoresInSchema)
@blp.response(200, AttendanceOutSchema(many=True))
@requires("training.write")
def record_scores(data, session_id):
    """Exam scores 0-100 (null clears one); passed when score >= the pass mark."""
    training = sessions.get_session(db.session, session_id, _scope("training.write"))
    sessions.record_scores(db.session, training,
                           {item["staff_id"]: item["score"] for item in data["scores"]})
    return sessions.roster(db.session, training.id)


@blp.route("/training-sessions/<int:session_id>/courseware", methods=["POST"])
@blp.arguments(FileUploadSchema, location="files")
@blp.response(201, FileOutSchema)
@requires("training.write")
def upload_courseware(upload, session_id):
    """Courseware: PDF, images, MP4, PPTX/DOCX/XLSX or ZIP, by content."""
    training = sessions.get_session(db.session, session_id, _scope("training.write"))
    stored = _store(upload, "courseware")
    sessions.add_courseware(db.session, training, stored.id)
    return stored


@blp.route("/training-sessions/sign-in/<token>", methods=["POST"])
@blp.response(200, SignedInSchema)
@requires("training.sign_in")
def sign_in(token):
    """The trainee's own sign-in: the token is in the session's QR code."""
    training = sessions.session_by_token(db.session, token)
    return sessions.sign_in(db.session, training, current_user.id)


@blp.route("/training/figures")
@blp.arguments(TrainingFiguresQuerySchema, location="query")
@blp.response(200, TrainingFiguresSchema)
@requires("training.read")
def figures(args):
    """The staffing and training figures, live (see README)."""
    result = training_figures.figures(db.session, args["on"] or local_today())
    body = asdict(result)
    for key in ("certified_managers", "technicians_certified", "training_coverage", "pass_rate"):
        body[key]["share"] = getattr(result, key).share
    return body
