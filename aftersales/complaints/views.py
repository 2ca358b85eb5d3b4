"""Pages: the handler's queue with live countdowns, taking a complaint in, one complaint
with its clocks and handling steps, the manager's board and the archive check."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.complaints import figures, mediators, record_sheet, services
from aftersales.complaints.labels import (
    ARCHIVE_LABELS,
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    CLOCK_LABELS,
    EVENT_LABELS,
    RECIPIENT_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
)
from aftersales.complaints.models import CATEGORIES, CHANNELS, SEVERITIES, STATES
from aftersales.complaints.schemas import AppointMediatorInSchema, EndAppointmentInSchema
from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.clock import DEFAULT_ZONE, local_today, utcnow
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.forms import domain_errors, load_form
from aftersales.core.home import TileView, home_tile
from aftersales.core.permissions import scope_of
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db

bp = Blueprint("complaints", __name__, template_folder="templates")
DUE_SOON = timedelta(hours=4)  # the home tile's warning horizon


def _labeller(labels: dict):
    return lambda code: labels.get(code, code)


for _name, _labels in (
    ("complaint_state_label", STATE_LABELS),
    ("complaint_channel_label", CHANNEL_LABELS),
    ("complaint_category_label", CATEGORY_LABELS),
    ("complaint_severity_label", SEVERITY_LABELS),
    ("complaint_clock_label", CLOCK_LABELS),
    ("complaint_event_label", EVENT_LABELS),
    ("complaint_archive_label", ARCHIVE_LABELS),
    ("complaint_recipient_label", RECIPIENT_LABELS),
):
    bp.add_app_template_global(_labeller(_labels), _name)


def hours_text(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    return _("%(sign)s%(h)d h %(m)02d min", sign=sign, h=seconds // 3600, m=seconds % 3600 // 60)


@bp.app_template_filter("yuan")
def yuan(fen: int | None) -> str:
    return "—" if fen is None else f"¥{fen / 100:,.2f}"


@bp.app_template_filter("percent")
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat()


# Globals, not a context processor: imported macros (complaints/_badges.html) see globals only.
bp.add_app_template_global(hours_text, "hours_text")
bp.add_app_template_global(_iso, "iso")


def _warn_at(complaint, clock) -> datetime | None:
    """When a quarter of the running clock's target is left: the countdown turns amber."""
    if complaint.next_due_at is None or clock is None:
        return None
    return complaint.next_due_at - timedelta(seconds=clock.target_seconds) / 4


def _queue_rows(items):
    names = customer_services.names_of(db.session, {c.customer_id for c in items})
    handlers = core_services.display_names(
        db.session, {c.handler_id for c in items if c.handler_id}
    )
    targets = {  # the running clock's target, for the amber threshold
        (clock.complaint_id, clock.kind): clock
        for clock in services.running_clocks_of(db.session, [c.id for c in items])
    }
    rows = []
    for complaint in items:
        kind = "response" if complaint.state == "received" else "resolution"
        clock = targets.get((complaint.id, kind))
        rows.append({
            "complaint": complaint, "customer": names.get(complaint.customer_id, ""),
            "handler": handlers.get(complaint.handler_id), "kind": kind,
            "warn_at": _warn_at(complaint, clock),
        })
    return rows


@home_tile("complaints.handle", order=30)
def _breach_tile(session, user) -> TileView:
    overdue, soon = services.breach_counts(session, scope_of(user, "complaints.handle"),
                                           utcnow(), DUE_SOON)
    return TileView(
        _("Complaints past their deadline"), str(overdue),
        _("%(count)s more due within 4 hours", count=soon), url_for("complaints.queue"),
        alert=overdue > 0,
    )


@bp.route("/complaints")
@requires("complaints.read")
def queue():
    """The handler's queue: open complaints, the nearest breach first."""
    mine = request.args.get("mine") == "1"
    scope = scope_of(current_user, "complaints.read")
    items = services.queue(db.session, scope, current_user.id if mine else None)
    return render_template(
        "complaints/queue.html", rows=_queue_rows(items), mine=mine, now=utcnow(),
        may_handle=can(current_user, "complaints.handle"),
    )


@bp.route("/complaints/all")
@requires("complaints.read")
def index():
    """Every complaint, newest first, filtered by state, category, severity or channel."""
    def choice(name, allowed):
        value = request.args.get(name) or None
        return value if value in allowed else None

    filters = services.Filters(
        state=choice("state", STATES), category=choice("category", CATEGORIES),
        severity=choice("severity", SEVERITIES), channel=choice("channel", CHANNELS),
    )
    page = services.list_complaints(db.session, scope_of(current_user, "complaints.read"),
                                    filters, request.args.get("cursor"), limit=50)
    names = customer_services.names_of(db.session, {c.customer_id for c in page.items})
    return render_template(
        "complaints/index.html", page=page, filters=filters, customers=names, states=STATES,
        categories=CATEGORIES, severities=SEVERITIES, channels=CHANNELS,
        filter_args={k: v for k, v in request.args.items() if k != "cursor"},
    )


@bp.route("/complaints/<int:complaint_id>/queue-response", methods=["POST"])
@requires("complaints.handle")
def respond_from_queue(complaint_id):
    complaint = services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.handle")
    )
    try:
        services.acknowledge(db.session, complaint, current_user, request.form.get("text", ""))
    except DomainError as problem:
        db.session.rollback()
        flash(f"{complaint.number}: {problem.message}", "error")
    else:
        flash(_("Response to %(number)s recorded.", number=complaint.number), "success")
    return redirect(url_for("complaints.queue", mine=request.args.get("mine")))


def _received_at(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=DEFAULT_ZONE)
    except ValueError as error:
        raise ValidationFailed(_("Not a date and time."), field="received_at") from error


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


@bp.route("/complaints/new", methods=["GET", "POST"])
@requires("complaints.write")
def new():
    form, errors = request.form, {}
    customer_id = request.values.get("customer_id", type=int)
    customer = (customer_services.get_customer(db.session, customer_id,
                                               customer_visibility.of(current_user))
                if customer_id else None)
    if request.method == "POST":
        try:
            intake = services.Intake(
                channel=form.get("channel", ""), category=form.get("category", ""),
                severity=form.get("severity", "normal"), customer_id=customer_id or 0,
                summary=form.get("summary", ""), description=form.get("description", ""),
                received_at=_received_at(form.get("received_at")),
                ticket_id=_int(form.get("ticket_id")),
                external_ref=form.get("external_ref") or None,
            )
            complaint = services.open_complaint(
                db.session, current_user, intake,
                scope=scope_of(current_user, "complaints.write"),
                seen_by=customer_visibility.of(current_user))
        except DomainError as problem:
            db.session.rollback()
            errors = {problem.field or "_form": str(problem.message)}
        else:
            flash(_("Complaint %(number)s recorded.", number=complaint.number), "success")
            return redirect(url_for("complaints.show", complaint_id=complaint.id))
    query = request.args.get("customer_q", "").strip()
    found = (
        customer_services.search_customers(db.session, query, None, 20,
                                           customer_visibility.of(current_user)).items
        if query and customer is None else []
    )
    return render_template(
        "complaints/new.html", form=form, errors=errors, customer=customer, found=found,
        query=query, channels=CHANNELS, categories=CATEGORIES, severities=SEVERITIES,
    ), (422 if errors else 200)


def _render(complaint, errors=None, status=200):
    customer = customer_services.get_customer(db.session, complaint.customer_id)
    people = core_services.display_names(
        db.session,
        {u for u in (complaint.handler_id, complaint.received_by_id, complaint.entered_by_id) if u},
    )
    clocks = services.clocks_of(db.session, complaint.id)
    return render_template(
        "complaints/show.html", complaint=complaint, customer=customer, people=people,
        clocks=clocks, pauses=services.pauses_of(db.session, complaint.id),
        events=services.timeline(db.session, complaint.id),
        escalations=services.escalations_of(db.session, complaint.id),
        attachments=services.attachments_of(db.session, complaint.id),
        gaps=services.archive_gaps_of(db.session, complaint.id)
        if complaint.state == "closed" else [],
        earlier=services.earlier_complaints(db.session, complaint),
        handlers=services.complaint_handlers(db.session),
        may_handle=can(current_user, "complaints.handle"), errors=errors or {},
        now=utcnow(),
    ), status


@bp.route("/complaints/<int:complaint_id>")
@requires("complaints.read")
def show(complaint_id):
    return _render(services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.read")
    ))


def _fen(text: str | None) -> int:
    """Yuan as typed (200 or 200.50) into fen, exactly."""
    text = (text or "").strip() or "0"
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise ValidationFailed(_("Give the amount in yuan, e.g. 128.50."),
                               "compensation_fen") from error
    if amount != amount.quantize(Decimal("0.01")) or amount < 0:
        raise ValidationFailed(_("Give the amount in yuan, e.g. 128.50."), "compensation_fen")
    return int(amount * 100)


def _handling(form, complaint):
    """The handling step named by the form's `step` field."""
    user = current_user
    step = form.get("step", "")
    if step == "acknowledge":
        services.acknowledge(db.session, complaint, user, form.get("text", ""))
    elif step == "note":
        services.add_note(db.session, complaint, user, form.get("text", ""))
    elif step == "assign":
        services.assign(db.session, complaint, user, _int(form.get("handler_id")) or 0)
    elif step == "pause":
        services.pause(db.session, complaint, user, form.get("reason", ""))
    elif step == "resume":
        services.resume(db.session, complaint, user)
    elif step == "resolve":
        services.resolve(db.session, complaint, user, services.Resolution(
            resolution=form.get("resolution", ""), root_cause=form.get("root_cause", ""),
            corrective_action=form.get("corrective_action") or None,
            compensation_fen=_fen(form.get("compensation")),
            compensation_note=form.get("compensation_note") or None,
            improvement_action_id=_int(form.get("improvement_action_id")),
        ))
    elif step == "mediate":
        services.mediate(db.session, complaint, user, form.get("mediator", ""),
                         form.get("mediation_note", ""))
    elif step == "confirm":
        services.confirm(db.session, complaint, user, form.get("accepted") == "yes",
                         _int(form.get("satisfaction")), form.get("feedback") or None)
    elif step == "close":
        services.close(db.session, complaint, user, form.get("note", ""))
    elif step == "reopen":
        services.reopen(db.session, complaint, user, form.get("reason", ""))
    else:
        raise ValidationFailed(_("Unknown step."), field="_form")


@bp.route("/complaints/<int:complaint_id>/steps", methods=["POST"])
@requires("complaints.handle")
def step(complaint_id):
    scope = scope_of(current_user, "complaints.handle")
    complaint = services.get_complaint(db.session, complaint_id, scope)
    try:
        _handling(request.form, complaint)
    except DomainError as problem:
        db.session.rollback()
        complaint = services.get_complaint(db.session, complaint_id, scope)
        return _render(complaint, {problem.field or "_form": str(problem.message)},
                       problem.status)
    return redirect(url_for("complaints.show", complaint_id=complaint_id))


@bp.route("/complaints/<int:complaint_id>/attachments", methods=["POST"])
@requires("complaints.handle")
def attach(complaint_id):
    scope = scope_of(current_user, "complaints.handle")
    complaint = services.get_complaint(db.session, complaint_id, scope)
    upload = request.files.get("file")
    try:
        if upload is None:
            raise ValidationFailed(_("Choose a file."), field="file")
        services.attach(db.session, complaint, current_user, upload.filename or "",
                        upload.read())
    except DomainError as problem:
        db.session.rollback()
        complaint = services.get_complaint(db.session, complaint_id, scope)
        return _render(complaint, {problem.field or "_form": str(problem.message)},
                       problem.status)
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


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


@bp.route("/complaints/board")
@requires("complaints.board")
def board():
    today = local_today()
    first = _day(request.args.get("from"), today - timedelta(days=364))
    last = _day(request.args.get("to"), today)
    errors = {}
    try:
        start, end = figures.local_period(first, last)
    except DomainError as problem:
        errors[problem.field] = str(problem.message)
        first, last = today - timedelta(days=364), today
        start, end = figures.local_period(first, last)
    result = figures.board(db.session, scope_of(current_user, "complaints.board"), start, end)
    return render_template("complaints/board.html", board=result, first=first, last=last,
                           errors=errors)


@bp.route("/complaints/archive")
@requires("complaints.board")
def archive():
    page, gaps = services.archive_gaps(
        db.session, scope_of(current_user, "complaints.board"), request.args.get("cursor"), 50
    )
    return render_template("complaints/archive.html", page=page, gaps=gaps)


# ---------------------------------------------------------------- the mediator register


def _render_mediators(errors=None, form=None, status=200):
    return render_template(
        "complaints/mediators.html", appointments=mediators.register(db.session),
        staff=mediators.eligible_staff(db.session), errors=errors or {}, form=form or {},
        may_keep=can(current_user, "complaints.mediators"), today=local_today(),
    ), status


@bp.route("/complaints/mediators")
@requires("complaints.board")
def mediator_register():
    return _render_mediators()


@bp.route("/complaints/mediators", methods=["POST"])
@requires("complaints.mediators")
def appoint_mediator():
    form = request.form.to_dict()
    data, errors = load_form(AppointMediatorInSchema(), form)
    if data is None:
        return _render_mediators(errors, form, 422)
    try:
        appointment = mediators.appoint(db.session, current_user, **data)
    except DomainError as problem:
        return _render_mediators(domain_errors(problem), form, problem.status)
    flash(_("%(name)s is appointed as a service mediator.", name=appointment.user.display_name),
          "success")
    return redirect(url_for("complaints.mediator_register"))


@bp.route("/complaints/mediators/<int:appointment_id>/end", methods=["POST"])
@requires("complaints.mediators")
def end_mediator_appointment(appointment_id):
    data, errors = load_form(EndAppointmentInSchema(), request.form)
    if data is None:
        return _render_mediators({f"end-{appointment_id}": errors["ended_on"]}, status=422)
    try:
        appointment = mediators.end(db.session, current_user, appointment_id, data["ended_on"])
    except DomainError as problem:
        return _render_mediators({f"end-{appointment_id}": str(problem.message)},
                                 status=problem.status)
    flash(_("%(name)s's appointment ends on %(day)s.", name=appointment.user.display_name,
            day=appointment.ended_on.isoformat()), "success")
    return redirect(url_for("complaints.mediator_register"))
