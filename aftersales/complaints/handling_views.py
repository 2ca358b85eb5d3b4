"""One complaint: its page with clocks and timeline, the handling steps taken from it, its
attachments and its closed-loop record sheet (routes on the complaints blueprint)."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.complaints import queries, record_sheet, services
from aftersales.complaints.blueprint import bp
from aftersales.complaints.schemas import STEP_FORMS, AttachmentFormSchema, HandlingStepSchema
from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.clock import utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.forms import form_input, on_refusal, placed
from aftersales.core.permissions import scope_of
from aftersales.customers import services as customer_services
from aftersales.evidence import services as evidence_services
from aftersales.extensions import db
from aftersales.tickets.labels import ticket_number

# The inputs the complaint page shows; a reason about anything else goes to the top.
PAGE_FIELDS = frozenset({
    "text", "reason", "resolution", "root_cause", "corrective_action", "compensation",
    "satisfaction", "feedback", "note", "mediator", "mediation_note", "file",
    "escalation_reason",
})


def _render(complaint, errors=None, status=200):
    customer = customer_services.get_customer(db.session, complaint.customer_id)
    events = services.timeline(db.session, complaint.id)
    people = core_services.display_names(db.session, {
        complaint.handler_id, complaint.received_by_id, complaint.entered_by_id,
        *(event.actor_id for event in events)} - {None})
    clocks = services.clocks_of(db.session, complaint.id)
    return render_template(
        "complaints/show.html", complaint=complaint, customer=customer, people=people,
        clocks=clocks, pauses=services.pauses_of(db.session, complaint.id),
        events=events,
        escalations=services.escalations_of(db.session, complaint.id),
        attachments=services.attachments_of(db.session, complaint.id),
        gaps=queries.archive_gaps_of(db.session, complaint.id)
        if complaint.state in ("resolved", "closed") else [],
        earlier=queries.earlier_complaints(db.session, complaint),
        handlers=queries.complaint_handlers(db.session),
        may_handle=can(current_user, "complaints.handle"), errors=errors or {},
        now=utcnow(),
        ticket_number=ticket_number(complaint.ticket_id) if complaint.ticket_id else None,
        improvement_action=record_sheet.improvement_action_title(db.session, complaint),
        improvement_actions=evidence_services.unfinished_actions(db.session)
        if complaint.state == "acknowledged" else [],
    ), status


@bp.route("/complaints/<int:complaint_id>")
@requires("complaints.read")
def show(complaint_id):
    return _render(services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.read")
    ))


def _handled(complaint_id: int):
    return services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.handle")
    )


def _refused(errors: dict, status: int, complaint_id: int):
    # Read in the user's scope again: a complaint they may not handle stays a 404.
    return _render(_handled(complaint_id), placed(errors, PAGE_FIELDS), status)


def _take(step: str, values: dict, complaint) -> None:
    """The handling step named by the form's `step` input, with its form's values."""
    session, user = db.session, current_user
    match step:
        case "acknowledge":
            services.acknowledge(session, complaint, user, values["text"])
        case "note":
            services.add_note(session, complaint, user, values["text"])
        case "assign":
            services.assign(session, complaint, user, values["handler_id"])
        case "pause":
            services.pause(session, complaint, user, values["reason"])
        case "resume":
            services.resume(session, complaint, user)
        case "resolve":
            services.resolve(session, complaint, user, services.Resolution(**values))
        case "mediate":
            services.mediate(session, complaint, user, values["mediator"], values["note"])
        case "confirm":
            services.confirm(session, complaint, user, values["accepted"],
                             values["satisfaction"], values["feedback"])
        case "close":
            services.close(session, complaint, user, values["note"])
            if queries.archive_gaps_of(session, complaint.id):
                flash(_("Closed; the archive is incomplete: see what it lacks below."), "error")
        case "escalate":
            services.escalate_by_hand(session, complaint, user, values["escalation_reason"])
        case "reopen":
            services.reopen(session, complaint, user, values["reason"])


@bp.route("/complaints/<int:complaint_id>/steps", methods=["POST"])
@requires("complaints.handle")
@on_refusal(_refused)
def step(complaint_id):
    complaint = _handled(complaint_id)
    chosen = form_input(HandlingStepSchema())["step"]
    _take(chosen, form_input(STEP_FORMS[chosen]()), complaint)
    return redirect(url_for("complaints.show", complaint_id=complaint_id))


@bp.route("/complaints/<int:complaint_id>/attachments", methods=["POST"])
@requires("complaints.handle")
@on_refusal(_refused)
def attach(complaint_id):
    complaint = _handled(complaint_id)
    upload = form_input(AttachmentFormSchema())["file"]
    if upload is None:
        raise ValidationFailed(_("Choose a file."), field="file")
    services.attach(db.session, complaint, current_user, upload.filename or "",
                    upload.read())
    return redirect(url_for("complaints.show", complaint_id=complaint_id))


@bp.route("/complaints/<int:complaint_id>/attachments/<int:attachment_id>")
@requires("complaints.read")
def attachment(complaint_id, attachment_id):
    complaint = services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.read")
    )
    row = services.get_attachment(db.session, complaint, attachment_id)
    response = make_response(services.attachment_content(row))
    response.headers["Content-Type"] = row.media_type
    response.headers["Content-Disposition"] = "attachment"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/complaints/<int:complaint_id>/sheet.pdf")
@requires("complaints.read")
def sheet(complaint_id):
    """The closed-loop record sheet as a PDF download."""
    complaint = services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.read")
    )
    response = make_response(record_sheet.render(db.session, complaint))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f"attachment; filename=complaint-{complaint.id}.pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response
