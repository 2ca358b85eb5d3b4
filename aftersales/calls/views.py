"""Pages: the call log and its quick "log a call" form, the callback queue, CSV import,
the hotline figures."""

from datetime import date, timedelta
from pathlib import Path

from flask import flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from aftersales.calls import imports, services
from aftersales.calls.blueprint import bp
from aftersales.calls.models import DIRECTIONS, OUTCOMES, CallOutcome, Direction
from aftersales.calls.schemas import (
    CallbackInSchema,
    CallFormSchema,
    CallLogQuerySchema,
    ImportFileSchema,
    PeriodSchema,
)
from aftersales.calls.times import display_zone, local_input
from aftersales.core import charts
from aftersales.core.auth import can, requires
from aftersales.core.clock import utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.forms import (
    form_input,
    on_refusal,
    placed,
    query_input,
    query_string,
    submitted,
)
from aftersales.core.history import personal_fields, value_labels
from aftersales.core.home import TileView, home_tile
from aftersales.core.imports import ImportRefused
from aftersales.core.pagination import PageArgsSchema
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db

STATIC = Path(__file__).resolve().parent / "static"

DIRECTION_LABELS = Direction.labels()
OUTCOME_LABELS = CallOutcome.labels()
value_labels("calls", {"direction": DIRECTION_LABELS, "outcome": OUTCOME_LABELS})
personal_fields("calls", phones=("caller_number",))
FIELD_LABELS = {
    "direction": _l("Direction"),
    "caller_number": _l("Number"),
    "queued_at": _l("Came in at"),
    "answered_at": _l("Answered at"),
    "ended_at": _l("Ended at"),
    "outcome": _l("Outcome"),
    "agent_username": _l("Agent"),
    "note": _l("Note"),
}
# The inputs of the "log a call" form, and of the log's filters, by name.
CALL_FORM_FIELDS = frozenset({"direction", "caller_number", "queued_at", "answered_at",
                              "ended_at", "outcome", "agent_id", "note"})
FILTER_NAMES = ("from", "to", "outcome", "direction", "agent", "number")


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return _("%(s)d s", s=seconds)
    if seconds < 3600:
        return _("%(m)d min %(s)d s", m=seconds // 60, s=seconds % 60)
    return _("%(h)d h %(m)d min", h=seconds // 3600, m=seconds % 3600 // 60)


@bp.context_processor
def _labels():
    return {
        "direction_label": lambda value: str(DIRECTION_LABELS.get(value, value)),
        "outcome_label": lambda value: str(OUTCOME_LABELS.get(value, value)),
        "field_label": lambda value: str(FIELD_LABELS.get(value, value)),
        "duration": duration,
        "queue_size": lambda: services.callback_queue_size(db.session),
    }


def _local_period(first_day: date | None, last_day: date | None, errors: dict):
    """[start, end) of the local days chosen; a period that ends before it starts is
    reported beside "to" and not applied."""
    try:
        return services.local_period(first_day, last_day)
    except ValidationFailed as problem:
        errors[problem.field] = str(problem.message)
        return None


def _filters(query: dict, errors: dict) -> services.CallFilters:
    start, end = _local_period(query["first_day"], query["last_day"], errors) or (None, None)
    return services.CallFilters(
        start=start,
        end=end,
        outcome=query["outcome"],
        direction=query["direction"],
        agent_id=query["agent_id"],
        caller_number=query["caller_number"],
        call_id=query["call_id"],
    )


def _render_log(form, errors: dict, status: int, filtered: bool = True):
    """The log below the form; a refused form is drawn above the unfiltered log, as the
    form's own fields (direction, outcome) are no filters."""
    schema = CallLogQuerySchema()
    query, filter_errors = query_input(schema) if filtered else (schema.load({}), {})
    chosen = query_string() if filtered else {}
    page = services.list_calls(db.session, _filters(query, filter_errors), query["cursor"], 50,
                               customer_visibility.of(current_user))
    return render_template(
        "calls/log.html",
        page=page,
        form=form,
        errors=errors,
        filters={name: chosen.get(name, "") for name in FILTER_NAMES},
        filter_errors=filter_errors,
        takers=services.call_takers(db.session),
        directions=DIRECTIONS,
        outcomes=OUTCOMES,
    ), status


def _blank_form() -> dict:
    now = local_input(utcnow())
    return {
        "direction": "inbound",
        "outcome": "answered",
        "queued_at": now,
        "answered_at": now,
        "agent_id": str(current_user.id),
    }


@bp.route("/calls.css")
@requires("calls.read")
def stylesheet():
    """This module's styles; a route rather than a blueprint static folder, so that
    the access gate sees a declared permission like on every other endpoint."""
    return send_from_directory(STATIC, "calls.css", max_age=3600)


@bp.route("")
@requires("calls.read")
def call_log():
    return _render_log(_blank_form() if can(current_user, "calls.write") else {}, {}, 200)


def _render_refused_call(errors: dict, status: int):
    return _render_log(submitted(), placed(errors, CALL_FORM_FIELDS), status, filtered=False)


@bp.route("/log", methods=["POST"])
@requires("calls.write")
@on_refusal(_render_refused_call)
def log_call():
    call = services.log_call(db.session, services.CallDraft(**form_input(CallFormSchema())))
    flash(
        _("Logged: %(number)s, %(outcome)s.", number=call.caller_number,
          outcome=OUTCOME_LABELS[call.outcome]),
        "success",
    )
    return redirect(url_for("calls.call_log"))


def _render_queue(errors: dict, status: int):
    query, _errors = query_input(PageArgsSchema())  # a bad cursor starts from the first
    page = services.callback_queue(db.session, query["cursor"], 50,
                                   customer_visibility.of(current_user))
    attempts = services.callback_attempts(db.session, (call.id for call in page.items))
    return render_template("calls/callbacks.html", page=page, attempts=attempts,
                           errors=errors), status


@home_tile("calls.write", order=50, jobs=frozenset({"agent"}))
def _callbacks_due_tile(session, user) -> TileView:
    due = services.callback_queue_size(session, customer_visibility.of(user))
    return TileView(_("Callbacks due"), str(due), _("Missed calls nobody has called back yet"),
                    url_for("calls.callback_queue"), alert=due > 0)


@bp.route("/callbacks")
@requires("calls.read")
def callback_queue():
    return _render_queue({}, 200)


def _refused_callback(errors: dict, status: int, call_id: int):
    # A call the agent may not see answers as if it did not exist.
    services.get_call(db.session, call_id, customer_visibility.of(current_user))
    return _render_queue(placed(errors, set()), status)


@bp.route("/<int:call_id>/callback", methods=["POST"])
@requires("calls.write")
@on_refusal(_refused_callback)
def call_back(call_id):
    """The agent has just called the number back: reached, or no answer."""
    data = form_input(CallbackInSchema(only=("outcome", "note")))
    now = utcnow()
    reached = data["outcome"] == "answered"
    outbound = services.call_back(
        db.session,
        call_id,
        queued_at=now,
        outcome=data["outcome"],
        answered_at=now if reached else None,
        ended_at=None if reached else now,
        agent_id=current_user.id,
        note=data["note"],
        seen_by=customer_visibility.of(current_user),
    )
    if reached:
        flash(_("%(number)s called back.", number=outbound.caller_number), "success")
    else:
        flash(
            _("No answer from %(number)s; the call stays in the queue.",
              number=outbound.caller_number),
            "success",
        )
    return redirect(url_for("calls.callback_queue"))


def _render_import(errors: dict, status: int, refused: ImportRefused | None = None):
    return render_template(
        "calls/import.html", refused=refused, errors=placed(errors, {"file"}),
        columns=FIELD_LABELS,
    ), status


@bp.route("/import")
@requires("calls.write")
def import_calls():
    return _render_import({}, 200)


@bp.route("/import", methods=["POST"])
@requires("calls.write")
@on_refusal(_render_import)
def import_file():
    upload = form_input(ImportFileSchema())["file"]
    if upload is None or not upload.filename:
        raise ValidationFailed(imports.NO_FILE, field="file")
    try:
        calls = imports.import_calls(db.session, upload.read())
    except ImportRefused as refused:  # nothing was written: the bad rows, each with its reason
        return _render_import({}, refused.status, refused)
    flash(_("Imported %(count)d calls.", count=len(calls)), "success")
    return redirect(url_for("calls.call_log"))


@bp.route("/figures")
@requires("calls.read")
def figures():
    query, errors = query_input(PeriodSchema())
    today = utcnow().astimezone(display_zone()).date()
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    first_day = query["first_day"] or first_of_month
    last_day = query["last_day"] or today
    period = _local_period(first_day, last_day, errors)
    if period is None:
        first_day, last_day = first_of_month, today
        period = services.local_period(first_day, last_day)
    figures = services.hotline_figures(db.session, *period)
    days = services.daily_answering(db.session, *period)
    return render_template(
        "calls/figures.html",
        figures=figures,
        days=days,
        chart=_answering_chart(days, figures.answer_rate_target),
        first_day=first_day,
        last_day=last_day,
        errors=errors,
        presets=(
            (_("This month"), first_of_month, today),
            (_("Last month"), last_month_end.replace(day=1), last_month_end),
            (_("Last 7 days"), today - timedelta(days=6), today),
        ),
    ), (422 if errors else 200)


def _answering_chart(days, target: float) -> Markup:
    """The answer rate day by day, the target dashed."""
    return charts.line_chart(
        [(day.day, round(day.rate * 100, 1)) for day in days],
        title=_("Answer rate in hotline hours, day by day (%)"),
        empty=_("The day-by-day chart needs calls on two days or more."),
        marked=(round(target * 100, 1),),
    )


# The console's routes live on this blueprint; imported last, as they use it.
