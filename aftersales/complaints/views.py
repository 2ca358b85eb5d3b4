"""Pages: the handler's queue with live countdowns, every complaint filtered, taking a
complaint in. One complaint and its handling are in handling_views.py, the manager's board,
archive check and mediator register in board_views.py."""

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.complaints import queries, services
from aftersales.complaints.blueprint import bp
from aftersales.complaints.labels import (
    ARCHIVE_LABELS,
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    CLOCK_LABELS,
    EVENT_LABELS,
    RECIPIENT_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    step_label,
    unnamed_actor_label,
)
from aftersales.complaints.models import (
    CATEGORIES,
    CHANNELS,
    SEVERITIES,
    STATES,
    complaint_number,
)
from aftersales.complaints.schemas import (
    ComplaintFormSchema,
    ComplaintQuerySchema,
    NewComplaintQuerySchema,
    QueueQuerySchema,
    TextInSchema,
)
from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.clock import utcnow
from aftersales.core.forms import (
    form_input,
    on_refusal,
    placed,
    query_input,
    query_string,
    submitted,
)
from aftersales.core.history import record_titles, value_labels
from aftersales.core.home import TileView, home_tile
from aftersales.core.permissions import scope_of
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db

DUE_SOON = timedelta(hours=4)  # the home tile's warning horizon

record_titles("complaints", complaint_number)
value_labels("complaints", {"state": STATE_LABELS, "category": CATEGORY_LABELS,
                            "severity": SEVERITY_LABELS, "channel": CHANNEL_LABELS})


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
bp.add_app_template_global(step_label, "complaint_step_label")
bp.add_app_template_global(unnamed_actor_label, "complaint_unnamed_actor_label")


def hours_text(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    seconds = abs(seconds)
    return _("%(h)d h %(m)02d min", h=seconds // 3600, m=seconds % 3600 // 60)


def variance_text(seconds: int | None) -> str:
    """A stopped clock against its target in words: early or late by how long (a minus
    sign reads as a fault to the people who read it)."""
    if seconds is None:
        return "—"
    if seconds <= 0:
        return _("%(time)s early", time=hours_text(seconds))
    return _("%(time)s late", time=hours_text(seconds))


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
bp.add_app_template_global(variance_text, "variance_text")
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


@home_tile("complaints.handle", order=30, jobs=frozenset({"complaint_handler"}))
def _breach_tile(session, user) -> TileView:
    overdue, soon = queries.breach_counts(session, scope_of(user, "complaints.handle"),
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
    mine = _mine()
    scope = scope_of(current_user, "complaints.read")
    items = queries.queue(db.session, scope, current_user.id if mine else None)
    return render_template(
        "complaints/queue.html", rows=_queue_rows(items), mine=mine, now=utcnow(),
        may_handle=can(current_user, "complaints.handle"),
    )


def _mine() -> bool:
    query, _errors = query_input(QueueQuerySchema())  # anything but a yes shows them all
    return query["mine"]


@bp.route("/complaints/all")
@requires("complaints.read")
def index():
    """Every complaint, newest first, filtered by state, category, severity or channel."""
    query, _errors = query_input(ComplaintQuerySchema())  # a bad filter value is ignored
    cursor, _limit = query.pop("cursor"), query.pop("limit")
    filters = queries.Filters(**query)
    page = queries.list_complaints(db.session, scope_of(current_user, "complaints.read"),
                                    filters, cursor, limit=50)
    names = customer_services.names_of(db.session, {c.customer_id for c in page.items})
    return render_template(
        "complaints/index.html", page=page, filters=filters, customers=names, states=STATES,
        categories=CATEGORIES, severities=SEVERITIES, channels=CHANNELS,
        filter_args={k: v for k, v in query_string().items() if k != "cursor"},
    )


def _back_to_queue():
    return redirect(url_for("complaints.queue", mine=1 if _mine() else None))


def _queue_refused(errors: dict, status: int, complaint_id: int):
    """The queue answers a refused response with a message above it, naming the complaint."""
    complaint = services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.handle")
    )
    for reason in errors.values():
        flash(f"{complaint.number}: {reason}", "error")
    return _back_to_queue()


@bp.route("/complaints/<int:complaint_id>/queue-response", methods=["POST"])
@requires("complaints.handle")
@on_refusal(_queue_refused)
def respond_from_queue(complaint_id):
    complaint = services.get_complaint(
        db.session, complaint_id, scope_of(current_user, "complaints.handle")
    )
    services.acknowledge(db.session, complaint, current_user, form_input(TextInSchema())["text"])
    flash(_("Response to %(number)s recorded.", number=complaint.number), "success")
    return _back_to_queue()


# The inputs the intake form shows; a reason about anything else goes to the top.
NEW_FIELDS = frozenset({
    "channel", "category", "severity", "summary", "description", "received_at", "ticket_id",
    "external_ref",
})


def _render_new(errors: dict, status: int):
    query, _errors = query_input(NewComplaintQuerySchema())
    seen_by = customer_visibility.of(current_user)
    customer = (customer_services.get_customer(db.session, query["customer_id"], seen_by)
                if query["customer_id"] else None)
    found = (
        customer_services.search_customers(db.session, query["customer_q"], None, 20,
                                           seen_by).items
        if query["customer_q"] and customer is None else []
    )
    return render_template(
        "complaints/new.html", form=submitted(), errors=placed(errors, NEW_FIELDS),
        customer=customer, found=found, query=query["customer_q"], channels=CHANNELS,
        categories=CATEGORIES, severities=SEVERITIES,
    ), status


@bp.route("/complaints/new", methods=["GET", "POST"])
@requires("complaints.write")
@on_refusal(_render_new)
def new():
    if request.method == "GET":
        return _render_new({}, 200)
    complaint = services.open_complaint(
        db.session, current_user, services.Intake(**form_input(ComplaintFormSchema())),
        scope=scope_of(current_user, "complaints.write"),
        seen_by=customer_visibility.of(current_user))
    flash(_("Complaint %(number)s recorded.", number=complaint.number), "success")
    return redirect(url_for("complaints.show", complaint_id=complaint.id))

