"""/api/v1/complaints: intake, handling steps, the queue, the board and the archive check."""

from dataclasses import asdict

from flask import make_response
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.complaints import figures, mediators, queries, record_sheet, services
from aftersales.complaints.blueprint import blp
from aftersales.complaints.schemas import (
    AppointMediatorInSchema,
    ArchiveGapPageSchema,
    AssignInSchema,
    AttachmentOutSchema,
    BoardQuerySchema,
    BoardSchema,
    CloseInSchema,
    ComplaintDetailSchema,
    ComplaintInSchema,
    ComplaintOutSchema,
    ComplaintPageSchema,
    ComplaintQuerySchema,
    ConfirmInSchema,
    EndAppointmentInSchema,
    MediateInSchema,
    MediatorAppointmentOutSchema,
    QueueQuerySchema,
    QueueSchema,
    ReasonInSchema,
    ResolveInSchema,
    TextInSchema,
    UploadSchema,
)
from aftersales.core.auth import requires
from aftersales.core.clock import utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.openapi import ANY_FILE, file_download
from aftersales.core.pagination import PageArgsSchema
from aftersales.core.permissions import scope_of
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db


def _complaint(complaint_id: int, permission: str = "complaints.read"):
    return services.get_complaint(db.session, complaint_id, scope_of(current_user, permission))


def detail(complaint) -> dict:
    """A complaint with its clock history, pauses, timeline, escalations and gaps."""
    data = {name: getattr(complaint, name) for name in ComplaintOutSchema().fields}
    data.update(
        clocks=services.clocks_of(db.session, complaint.id),
        pauses=services.pauses_of(db.session, complaint.id),
        timeline=services.timeline(db.session, complaint.id),
        escalations=services.escalations_of(db.session, complaint.id),
        attachments=services.attachments_of(db.session, complaint.id),
        archive_gaps=queries.archive_gaps_of(db.session, complaint.id),
    )
    return data


@blp.route("/complaints")
@blp.arguments(ComplaintQuerySchema, location="query")
@blp.response(200, ComplaintPageSchema)
@requires("complaints.read")
def list_complaints(args):
    cursor, limit = args.pop("cursor"), args.pop("limit")
    return queries.list_complaints(
        db.session, scope_of(current_user, "complaints.read"), queries.Filters(**args),
        cursor, limit,
    )


@blp.route("/complaints", methods=["POST"])
@blp.arguments(ComplaintInSchema)
@blp.response(201, ComplaintDetailSchema)
@requires("complaints.write")
def open_complaint(data):
    """From any channel; received_at (when the customer complained) starts the clocks,
    entered_at is stamped now. Outlet and product follow the work order when not given."""
    complaint = services.open_complaint(db.session, current_user, services.Intake(**data),
                                        scope=scope_of(current_user, "complaints.write"),
                                        seen_by=customer_visibility.of(current_user))
    return detail(complaint)


@blp.route("/complaints/queue")
@blp.arguments(QueueQuerySchema, location="query")
@blp.response(200, QueueSchema)
@requires("complaints.handle")
def queue(args):
    """Open complaints, the nearest breach first; waiting ones last."""
    items = queries.queue(db.session, scope_of(current_user, "complaints.handle"),
                           current_user.id if args["mine"] else None)
    now = utcnow()
    rows = []
    for complaint in items:
        row = {name: getattr(complaint, name) for name in ComplaintOutSchema().fields}
        due = complaint.next_due_at
        row["seconds_to_breach"] = None if due is None else int((due - now).total_seconds())
        rows.append(row)
    return {"items": rows}


@blp.route("/complaints/board")
@blp.arguments(BoardQuerySchema, location="query")
@blp.response(200, BoardSchema)
@requires("complaints.board")
def board(args):
    """Response and resolution figures of complaints received from-to (local days)."""
    start, end = figures.local_period(args["first_day"], args["last_day"])
    return asdict(figures.board(db.session, scope_of(current_user, "complaints.board"),
                                start, end))


@blp.route("/complaints/archive-gaps")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ArchiveGapPageSchema)
@requires("complaints.board")
def archive_gaps(args):
    """Closed complaints whose archive misses a part (clause 5.3.2.1), and which."""
    page, gaps = queries.archive_gaps(
        db.session, scope_of(current_user, "complaints.board"), args["cursor"], args["limit"]
    )
    return {"items": [asdict(gap) | {"complaint": gap.complaint} for gap in gaps],
            "next_cursor": page.next_cursor}


@blp.route("/complaints/<int:complaint_id>")
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.read")
def get_complaint(complaint_id):
    return detail(_complaint(complaint_id))


def _step(complaint_id, action, *args):
    complaint = _complaint(complaint_id, "complaints.handle")
    action(db.session, complaint, current_user, *args)
    return detail(complaint)


@blp.route("/complaints/<int:complaint_id>/assign", methods=["POST"])
@blp.arguments(AssignInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def assign(data, complaint_id):
    return _step(complaint_id, services.assign, data["handler_id"])


@blp.route("/complaints/<int:complaint_id>/acknowledge", methods=["POST"])
@blp.arguments(TextInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def acknowledge(data, complaint_id):
    """The first response to the customer; stops the response clock."""
    return _step(complaint_id, services.acknowledge, data["text"])


@blp.route("/complaints/<int:complaint_id>/notes", methods=["POST"])
@blp.arguments(TextInSchema)
@blp.response(201, ComplaintDetailSchema)
@requires("complaints.handle")
def add_note(data, complaint_id):
    """An investigation note."""
    return _step(complaint_id, services.add_note, data["text"])


@blp.route("/complaints/<int:complaint_id>/pause", methods=["POST"])
@blp.arguments(ReasonInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def pause(data, complaint_id):
    """Waiting for the customer: the clocks stand still until resumed."""
    return _step(complaint_id, services.pause, data["reason"])


@blp.route("/complaints/<int:complaint_id>/escalate", methods=["POST"])
@blp.arguments(ReasonInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def escalate(data, complaint_id):
    """Send the complaint up the ladder now (supervisor, then manager), with the reason;
    409 when it is closed or nobody is above."""
    return _step(complaint_id, services.escalate_by_hand, data["reason"])


@blp.route("/complaints/<int:complaint_id>/resume", methods=["POST"])
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def resume(complaint_id):
    return _step(complaint_id, services.resume)


@blp.route("/complaints/<int:complaint_id>/resolve", methods=["POST"])
@blp.arguments(ResolveInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def resolve(data, complaint_id):
    """Resolution, root cause, corrective action and compensation (fen); stops the
    resolution clock."""
    return _step(complaint_id, services.resolve, services.Resolution(**data))


@blp.route("/complaints/<int:complaint_id>/mediate", methods=["POST"])
@blp.arguments(MediateInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def mediate(data, complaint_id):
    """A dispute taken to a mediator (clause 5.3.2.3)."""
    return _step(complaint_id, services.mediate, data["mediator"], data["note"])


@blp.route("/complaints/<int:complaint_id>/confirm", methods=["POST"])
@blp.arguments(ConfirmInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def confirm(data, complaint_id):
    """The customer accepts (closes) or refuses (reopens, new clocks) the resolution."""
    return _step(complaint_id, services.confirm, data["accepted"], data["satisfaction"],
                 data["feedback"])


@blp.route("/complaints/<int:complaint_id>/close", methods=["POST"])
@blp.arguments(CloseInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def close(data, complaint_id):
    """Close without the customer's confirmation; the archive check lists the gap."""
    return _step(complaint_id, services.close, data["note"])


@blp.route("/complaints/<int:complaint_id>/reopen", methods=["POST"])
@blp.arguments(ReasonInSchema)
@blp.response(200, ComplaintDetailSchema)
@requires("complaints.handle")
def reopen(data, complaint_id):
    """A new cycle of clocks; earlier clocks, pauses and escalations are kept."""
    return _step(complaint_id, services.reopen, data["reason"])


@blp.route("/complaints/<int:complaint_id>/attachments", methods=["POST"])
@blp.arguments(UploadSchema, location="files")
@blp.response(201, AttachmentOutSchema)
@requires("complaints.handle")
def attach(files, complaint_id):
    """A PDF, PNG or JPEG (checked by content), at most UPLOAD_MAX_FILE_BYTES; multipart
    field `file`."""
    upload = files["file"]
    if upload is None:
        raise ValidationFailed(_l("Choose a file."), field="file")
    complaint = _complaint(complaint_id, "complaints.handle")
    return services.attach(db.session, complaint, current_user, upload.filename,
                           upload.read())


@blp.route("/complaints/<int:complaint_id>/attachments/<int:attachment_id>")
@blp.doc(**file_download(ANY_FILE, description="The attachment as uploaded."))
@requires("complaints.read")
def download(complaint_id, attachment_id):
    row = services.get_attachment(db.session, _complaint(complaint_id), attachment_id)
    response = make_response(services.attachment_content(row))
    response.headers["Content-Type"] = row.media_type
    response.headers["Content-Disposition"] = "attachment"
    return response


@blp.route("/complaints/<int:complaint_id>/sheet.pdf")
@blp.doc(**file_download("application/pdf", description="The record sheet."))
@requires("complaints.read")
def sheet(complaint_id):
    """The closed-loop record sheet (PDF), as on the complaint page."""
    complaint = _complaint(complaint_id)
    response = make_response(record_sheet.render(db.session, complaint))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f"attachment; filename=complaint-{complaint.id}.pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- the mediator register


@blp.route("/complaint-mediators")
@blp.response(200, MediatorAppointmentOutSchema(many=True))
@requires("complaints.board")
def mediator_register():
    """Service mediators (clause 5.3.2.3): in office first, then the most recent."""
    return mediators.register(db.session)


@blp.route("/complaint-mediators", methods=["POST"])
@blp.arguments(AppointMediatorInSchema)
@blp.response(201, MediatorAppointmentOutSchema)
@requires("complaints.mediators")
def appoint_mediator(data):
    """Appoint a member of staff who handles complaints as a mediator, from a day."""
    return mediators.appoint(db.session, current_user, **data)


@blp.route("/complaint-mediators/<int:appointment_id>/end", methods=["POST"])
@blp.arguments(EndAppointmentInSchema)
@blp.response(200, MediatorAppointmentOutSchema)
@requires("complaints.mediators")
def end_mediator_appointment(data, appointment_id):
    """The mediator's last day in office."""
    return mediators.end(db.session, current_user, appointment_id, data["ended_on"])
