"""Pages: the agent's queue of return visits, visits done, drawing the sample (manager),
one drawing with its strata, the figures."""

from datetime import date, timedelta
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.errors import DomainError
from aftersales.core.permissions import scope_of
from aftersales.core.sample_input import MAX_SEED, MIN_SHARE, share_from_percent
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.visits import figures as visit_figures
from aftersales.visits import sampling, services
from aftersales.visits.models import DISSATISFIED, MAX_ATTEMPTS

bp = Blueprint("visits", __name__, url_prefix="/visits", template_folder="templates")
STATIC = Path(__file__).resolve().parent / "static"
PAGE_SIZE = 30

OUTCOME_LABELS = {
    "reached": _l("Reached"),
    "not_reached": _l("Not reached"),
    "refused": _l("Declined"),
}
SCORE_LABELS = {
    1: _l("Very dissatisfied"),
    2: _l("Dissatisfied"),
    3: _l("Neutral"),
    4: _l("Satisfied"),
    5: _l("Very satisfied"),
}
BAD_DAY = _l("Not a date.")
FORM_FIELDS = ("satisfaction", "comment", "outcome")  # beside their input; others on top


@bp.context_processor
def _labels():
    return {
        "outcome_label": lambda value: str(OUTCOME_LABELS.get(value, value)),
        "score_labels": SCORE_LABELS,
        "max_attempts": MAX_ATTEMPTS,
        "dissatisfied": DISSATISFIED,
        "percent": _percent,
    }


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


@bp.route("/visits.css")
@requires("visits.read")
def stylesheet():
    """This module's styles; a route rather than a blueprint static folder, so that the
    access gate sees a declared permission like on every other endpoint."""
    return send_from_directory(STATIC, "visits.css", max_age=3600)


def _day(text: str | None, name: str, errors: dict) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[name] = str(BAD_DAY)
        return None


def _outlet_filter() -> int | None:
    value = request.args.get("outlet", "")
    return int(value) if value.isdigit() else None


def _render_list(state: str, errors: dict | None = None, form: dict | None = None,
                 status: int = 200):
    """The queue (due, oldest first) or the visits done (latest first); one query for
    the page, one for its work orders and customers, one for outlet and agent names."""
    outlet_id = _outlet_filter()
    page = services.list_visits(
        db.session, scope_of(current_user, "visits.read"),
        services.VisitFilters(state=state, outlet_id=outlet_id),
        request.args.get("cursor"), limit=PAGE_SIZE, newest_first=state == "done",
    )
    visits = page.items
    return render_template(
        "visits/queue.html" if state == "due" else "visits/done.html",
        page=page, visits=visits,
        cases=services.cases_of(db.session, (v.ticket_id for v in visits)),
        outlets=outlet_services.outlet_names(db.session, (v.outlet_id for v in visits)),
        callers=core_services.display_names(
            db.session, {v.called_by_id for v in visits if v.called_by_id}
        ),
        outlet_choices=outlet_services.outlet_choices(db.session),
        outlet_id=outlet_id, errors=errors or {}, form=form or {},
        may_record=can(current_user, "visits.write"),
    ), status


@bp.route("")
@requires("visits.read")
def queue():
    return _render_list("due")


@bp.route("/done")
@requires("visits.read")
def done():
    return _render_list("done")


def _recorded_message(visit) -> str:
    number = visit.ticket_number
    if visit.follow_up_ticket_id:
        return _(
            "%(number)s: score %(score)d recorded. Follow-up work order %(follow_up)s opened.",
            number=number, score=visit.satisfaction,
            follow_up=visit.follow_up_number,
        )
    if visit.outcome == "reached":
        return _("%(number)s: score %(score)d recorded.", number=number, score=visit.satisfaction)
    if visit.outcome == "refused":
        return _("%(number)s: the customer declined the return visit.", number=number)
    if visit.state == "done":
        return _("%(number)s: not reached %(count)d times; the visit is closed.",
                 number=number, count=visit.attempts)
    return _("%(number)s: not reached (attempt %(attempt)d of %(count)d); it stays in the queue.",
             number=number, attempt=visit.attempts, count=MAX_ATTEMPTS)


@bp.route("/<int:visit_id>/record", methods=["POST"])
@requires("visits.write")
def record(visit_id):
    form = request.form
    outcome = form.get("outcome", "")
    try:
        visit = services.get_visit(db.session, visit_id, scope_of(current_user, "visits.write"))
        services.record_visit(
            db.session, visit, current_user, outcome,
            # The score buttons may be touched before "not reached": only reached counts it.
            satisfaction=(form.get("satisfaction") or None) if outcome == "reached" else None,
            comment=form.get("comment", ""),
        )
    except DomainError as problem:
        db.session.rollback()
        field = problem.field if problem.field in FORM_FIELDS else "_form"
        errors = {visit_id: {field: str(problem.message)}}
        return _render_list("due", errors, {visit_id: form.to_dict()}, problem.status)
    flash(_recorded_message(visit), "success")
    return redirect(url_for("visits.queue", cursor=request.args.get("cursor"),
                            outlet=request.args.get("outlet")))


def _last_month() -> tuple[date, date]:
    first_of_month = sampling.local_today().replace(day=1)
    end = first_of_month - timedelta(days=1)
    return end.replace(day=1), end


@bp.route("/sample", methods=["GET", "POST"])
@requires("visits.sample")
def sample():
    errors: dict[str, str] = {}
    status = 200
    first, last = _last_month()
    form = {"from": first.isoformat(), "to": last.isoformat(), "share": "10", "seed": ""}
    if request.method == "POST":
        form = {key: request.form.get(key, "").strip() for key in form}
        first_day = _day(form["from"], "from", errors)
        last_day = _day(form["to"], "to", errors)
        if first_day is None and "from" not in errors:
            errors["from"] = str(_l("Give the first day."))
        if last_day is None and "to" not in errors:
            errors["to"] = str(_l("Give the last day."))
        share = _share_from_percent(form["share"], errors)
        seed = _seed(form["seed"], errors)
        if not errors:
            try:
                sampling.check_draws_everywhere(scope_of(current_user, "visits.sample"))
                drawn = sampling.draw_sample(
                    db.session, current_user, first_day, last_day, share=share, seed=seed
                )
            except DomainError as problem:
                db.session.rollback()
                field = problem.field if problem.field in form else "_form"
                errors[field], status = str(problem.message), problem.status
            else:
                flash(_("Sample drawn: %(count)d return visits added to the queue.",
                        count=drawn.sampled_count), "success")
                return redirect(url_for("visits.show_sample", sample_id=drawn.id))
    samples = sampling.recent_samples(db.session)
    return render_template(
        "visits/sample.html", form=form, errors=errors, samples=samples,
        drawers=core_services.display_names(
            db.session, {s.drawn_by_id for s in samples if s.drawn_by_id}
        ),
    ), (422 if errors and status == 200 else status)


def _share_from_percent(text: str, errors: dict):
    try:
        return share_from_percent(text)
    except DomainError as problem:
        errors["share"] = str(problem.message)
        return None


def _seed(text: str, errors: dict) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_SEED:
        errors["seed"] = str(_l("A seed is a whole number from 0 to 2147483647."))
        return None
    return int(text)


@bp.route("/samples/<int:sample_id>")
@requires("visits.read")
def show_sample(sample_id):
    drawn = sampling.get_sample(db.session, sample_id)
    check = sampling.redraw(db.session, drawn) if request.args.get("check") == "1" else None
    names = core_services.display_names(db.session, {drawn.drawn_by_id} - {None})
    return render_template(
        "visits/sample_show.html", sample=drawn, check=check,
        outlets=outlet_services.outlet_names(db.session, (s.outlet_id for s in drawn.strata)),
        drawer=names.get(drawn.drawn_by_id, "—"),
    )


@bp.route("/figures")
@requires("visits.read")
def figures():
    errors: dict[str, str] = {}
    today = sampling.local_today()
    last_month = _last_month()
    first_day = _day(request.args.get("from"), "from", errors) or last_month[0]
    last_day = _day(request.args.get("to"), "to", errors) or last_month[1]
    scope = scope_of(current_user, "visits.read")
    try:
        result = visit_figures.period_figures(db.session, first_day, last_day, scope)
    except DomainError as problem:
        errors[problem.field or "from"] = str(problem.message)
        first_day, last_day = last_month
        result = visit_figures.period_figures(db.session, first_day, last_day, scope)
    return render_template(
        "visits/figures.html", figures=result, errors=errors,
        outlets=outlet_services.outlet_names(db.session, (row.outlet_id for row in result.outlets)),
        satisfaction_target=visit_figures.SATISFACTION_TARGET,
        share_target=MIN_SHARE,
        presets=(
            (_("Last month"), *last_month),
            (_("This month"), today.replace(day=1), today),
            (_("Last 3 months"), (last_month[0] - timedelta(days=62)).replace(day=1), today),
            (_("This year"), today.replace(month=1, day=1), today),
        ),
    ), (422 if errors else 200)

