"""Pages: the call log and its quick "log a call" form, the callback queue, CSV import,
the hotline figures."""

from datetime import date, timedelta
from pathlib import Path

from flask import flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.calls import imports, services
from aftersales.calls.blueprint import bp
from aftersales.calls.models import DIRECTIONS, OUTCOMES
from aftersales.calls.times import display_zone, form_time, local_input
from aftersales.core.auth import can, requires
from aftersales.core.clock import utcnow
from aftersales.core.errors import DomainError, NotFound
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db

STATIC = Path(__file__).resolve().parent / "static"

DIRECTION_LABELS = {"inbound": _l("Inbound"), "outbound": _l("Outbound")}
OUTCOME_LABELS = {
    "answered": _l("Answered"),
    "missed": _l("Missed"),
    "abandoned": _l("Abandoned"),
    "called_back": _l("Called back"),
}
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
BAD_DAY = _l("Not a date.")


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


def _form_day(text: str | None, name: str, errors: dict) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = str(BAD_DAY)
        return None


def _filters(args, errors: dict) -> tuple[services.CallFilters, dict]:
    """The call log's filters from the query string; bad values are reported, not used."""
    chosen = {
        "from": args.get("from", ""),
        "to": args.get("to", ""),
        "outcome": args.get("outcome", "") if args.get("outcome") in OUTCOMES else "",
        "direction": args.get("direction", "") if args.get("direction") in DIRECTIONS else "",
        "agent": args.get("agent", "") if args.get("agent", "").isdigit() else "",
        "number": args.get("number", "").strip()[:40],
    }
    start = end = None
    first_day = _form_day(chosen["from"], "from", errors)
    last_day = _form_day(chosen["to"], "to", errors)
    try:
        start, end = services.local_period(first_day, last_day)
    except DomainError as problem:
        errors[problem.field] = str(problem.message)
    number = None
    if chosen["number"]:
        try:
            number = services.normalise_number(chosen["number"], strict=False)
        except DomainError as problem:
            errors["number"] = str(problem.message)
    filters = services.CallFilters(
        start=start,
        end=end,
        outcome=chosen["outcome"] or None,
        direction=chosen["direction"] or None,
        agent_id=int(chosen["agent"]) if chosen["agent"] else None,
        caller_number=number,
    )
    return filters, chosen


def _render_log(form: dict, errors: dict, status: int = 200):
    filter_errors: dict = {}
    filters, chosen = _filters(request.args, filter_errors)
    page = services.list_calls(db.session, filters, request.args.get("cursor"), 50,
                               customer_visibility.of(current_user))
    return render_template(
        "calls/log.html",
        page=page,
        form=form,
        errors=errors,
        filters=chosen,
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
    return _render_log(_blank_form() if can(current_user, "calls.write") else {}, {})


@bp.route("/log", methods=["POST"])
@requires("calls.write")
def log_call():
    form = request.form
    errors: dict[str, str] = {}
    outcome = form.get("outcome", "")
    queued_at = form_time(form, "queued_at", errors)
    # The form pre-fills the answer time and the agent; they count for an answered call.
    answered = outcome == "answered"
    answered_at = form_time(form, "answered_at", errors) if answered else None
    ended_at = form_time(form, "ended_at", errors)
    agent = form.get("agent_id", "") if answered else ""
    if not errors:
        draft = services.CallDraft(
            direction=form.get("direction", ""),
            caller_number=form.get("caller_number", ""),
            queued_at=queued_at,
            answered_at=answered_at,
            ended_at=ended_at,
            outcome=outcome,
            agent_id=int(agent) if agent.isdigit() else None,
            note=form.get("note", ""),
        )
        try:
            call = services.log_call(db.session, draft)
        except services.InvalidCall as invalid:
            db.session.rollback()
            errors = {field: str(reason) for field, reason in invalid.problems.items()}
        else:
            flash(
                _("Logged: %(number)s, %(outcome)s.", number=call.caller_number,
                  outcome=OUTCOME_LABELS[call.outcome]),
                "success",
            )
            return redirect(url_for("calls.call_log"))
    return _render_log(form.to_dict(), errors, 422)


@bp.route("/callbacks")
@requires("calls.read")
def callback_queue():
    page = services.callback_queue(db.session, request.args.get("cursor"), 50,
                                   customer_visibility.of(current_user))
    attempts = services.callback_attempts(db.session, (call.id for call in page.items))
    return render_template("calls/callbacks.html", page=page, attempts=attempts)


@bp.route("/<int:call_id>/callback", methods=["POST"])
@requires("calls.write")
def call_back(call_id):
    """The agent has just called the number back: reached, or no answer."""
    now = utcnow()
    reached = request.form.get("outcome") == "answered"
    try:
        outbound = services.call_back(
            db.session,
            call_id,
            queued_at=now,
            outcome="answered" if reached else "missed",
            answered_at=now if reached else None,
            ended_at=None if reached else now,
            agent_id=current_user.id,
            note=request.form.get("note", ""),
            seen_by=customer_visibility.of(current_user),
        )
    except NotFound:
        raise  # a call the agent may not see answers as if it did not exist
    except DomainError as problem:
        db.session.rollback()
        flash(str(problem.message), "error")
    else:
        if reached:
            flash(_("%(number)s called back.", number=outbound.caller_number), "success")
        else:
            flash(
                _("No answer from %(number)s; the call stays in the queue.",
                  number=outbound.caller_number),
                "success",
            )
    return redirect(url_for("calls.callback_queue"))


@bp.route("/import", methods=["GET", "POST"])
@requires("calls.write")
def import_calls():
    refused, file_error = None, None
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise DomainError(imports.NO_FILE, field="file")
            calls = imports.import_calls(db.session, upload.read())
        except imports.ImportRefused as problem:
            db.session.rollback()
            refused = problem
        except DomainError as problem:
            db.session.rollback()
            file_error = str(problem.message)
        else:
            flash(_("Imported %(count)d calls.", count=len(calls)), "success")
            return redirect(url_for("calls.call_log"))
    status = 422 if refused or file_error else 200
    return render_template(
        "calls/import.html", refused=refused, file_error=file_error, columns=FIELD_LABELS
    ), status


@bp.route("/figures")
@requires("calls.read")
def figures():
    errors: dict[str, str] = {}
    today = utcnow().astimezone(display_zone()).date()
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    first_day = _form_day(request.args.get("from"), "from", errors) or first_of_month
    last_day = _form_day(request.args.get("to"), "to", errors) or today
    try:
        start, end = services.local_period(first_day, last_day)
    except DomainError as problem:
        errors[problem.field] = str(problem.message)
        first_day, last_day = first_of_month, today
        start, end = services.local_period(first_day, last_day)
    return render_template(
        "calls/figures.html",
        figures=services.hotline_figures(db.session, start, end),
        first_day=first_day,
        last_day=last_day,
        errors=errors,
        presets=(
            (_("This month"), first_of_month, today),
            (_("Last month"), last_month_end.replace(day=1), last_month_end),
            (_("Last 7 days"), today - timedelta(days=6), today),
        ),
    ), (422 if errors else 200)


# The console's routes live on this blueprint; imported last, as they use it.
