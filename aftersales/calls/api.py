"""/api/v1/calls: the call log, the callback queue, the hotline figures, CSV import."""

from dataclasses import asdict

from flask import jsonify
from flask_login import current_user

from aftersales.calls import imports, services
from aftersales.calls.blueprint import blp
from aftersales.calls.schemas import (
    CallbackInSchema,
    CallInSchema,
    CallOutSchema,
    CallPageSchema,
    CallQuerySchema,
    FiguresQuerySchema,
    FiguresSchema,
    ImportedSchema,
    ImportFileSchema,
)
from aftersales.core.auth import requires
from aftersales.core.errors import CODES, ValidationFailed
from aftersales.core.pagination import PageArgsSchema
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db


@blp.route("/calls")
@blp.arguments(CallQuerySchema, location="query")
@blp.response(200, CallPageSchema)
@requires("calls.read")
def list_calls(args):
    start, end = services.local_period(args["first_day"], args["last_day"])
    filters = services.CallFilters(
        start=start,
        end=end,
        outcome=args["outcome"],
        direction=args["direction"],
        agent_id=args["agent_id"],
        call_id=args["call_id"],
        caller_number=args["caller_number"],
    )
    return services.list_calls(db.session, filters, args["cursor"], args["limit"],
                              customer_visibility.of(current_user))


@blp.route("/calls", methods=["POST"])
@blp.arguments(CallInSchema)
@blp.response(201, CallOutSchema)
@requires("calls.write")
def log_call(data):
    """Numbers are kept as the digits sent (a call centre sees numbers of every kind);
    wait_seconds, within_hotline_hours and customer_id are worked out, never sent."""
    return services.log_call(db.session, services.CallDraft(**data), strict_number=False)


@blp.route("/calls/<int:call_id>")
@blp.response(200, CallOutSchema)
@requires("calls.read")
def get_call(call_id):
    return services.get_call(db.session, call_id, customer_visibility.of(current_user))


@blp.route("/calls/callbacks")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CallPageSchema)
@requires("calls.read")
def callback_queue(args):
    """Inbound calls nobody answered and nobody has reached since, oldest first."""
    return services.callback_queue(db.session, args["cursor"], args["limit"],
                                   customer_visibility.of(current_user))


@blp.route("/calls/<int:call_id>/callback", methods=["POST"])
@blp.arguments(CallbackInSchema)
@blp.response(201, CallOutSchema)
@requires("calls.write")
def call_back(data, call_id):
    """Log the outbound call returning a missed call; answered, it leaves the queue."""
    return services.call_back(db.session, call_id, **data,
                              seen_by=customer_visibility.of(current_user))


@blp.route("/calls/figures")
@blp.arguments(FiguresQuerySchema, location="query")
@blp.response(200, FiguresSchema)
@requires("calls.read")
def figures(args):
    """Answer rate within hotline hours and callbacks, for local days from-to."""
    start, end = services.local_period(args["first_day"], args["last_day"])
    return asdict(services.hotline_figures(db.session, start, end))


@blp.route("/calls/import", methods=["POST"])
@blp.arguments(ImportFileSchema, location="files")
@blp.response(201, ImportedSchema)
@blp.alt_response(422, description="Per-row errors: {row, field, reason}; nothing imported.")
@requires("calls.write")
def import_calls(files):
    """A call-centre CSV export (multipart field `file`), all rows or none."""
    upload = files["file"]
    if upload is None:
        raise ValidationFailed(imports.NO_FILE, field="file")
    try:
        calls = imports.import_calls(db.session, upload.read())
    except imports.ImportRefused as refused:
        body = {
            "code": CODES[422],
            "message": str(refused.message),
            "errors": refused.errors,
            "rows": [asdict(error) for error in refused.rows],
            "bad_rows": refused.bad_rows,
        }
        response = jsonify(body)
        response.status_code = 422
        return response
    return {"imported": len(calls)}
