"""Pages: the agent's queue of return visits, visits done, drawing the sample (manager),
one drawing with its strata, the figures."""

from datetime import date, timedelta
from pathlib import Path

from flask import flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.forms import (
    form_input,
    on_refusal,
    placed,
    query_input,
    query_string,
    submitted,
)
from aftersales.core.home import TileView, home_tile
from aftersales.core.permissions import scope_of
from aftersales.core.sample_input import MIN_SHARE
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.visits import figures as visit_figures
from aftersales.visits import sampling, services, surveys
from aftersales.visits.blueprint import bp
from aftersales.visits.labels import DIMENSION_LABELS, SURVEY_DIMENSIONS
from aftersales.visits.models import DISSATISFIED, MAX_ATTEMPTS, VisitOutcome
from aftersales.visits.schemas import (
    PeriodSchema,
    RedrawQuerySchema,
    SamplePageSchema,
    SurveyQuerySchema,
    VisitQuerySchema,
    VisitRecordPageSchema,
)

STATIC = Path(__file__).resolve().parent / "static"
PAGE_SIZE = 30

OUTCOME_LABELS = VisitOutcome.labels()
SCORE_LABELS = {
    1: _l("Very dissatisfied"),
    2: _l("Dissatisfied"),
    3: _l("Neutral"),
    4: _l("Satisfied"),
    5: _l("Very satisfied"),
}
# The inputs each form shows; a reason about anything else goes to the top of the form.
RECORD_FIELDS = frozenset({"satisfaction", "comment", "outcome"})
SAMPLE_FIELDS = frozenset({"from", "to", "share", "seed"})


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


def _render_list(state: str, errors: dict | None = None, form: dict | None = None,
                 status: int = 200):
    """The queue (due, oldest first) or the visits done (latest first); one query for
    the page, one for its work orders and customers, one for outlet and agent names."""
    query, _errors = query_input(VisitQuerySchema())  # a bad filter value is ignored
    page = services.list_visits(
        db.session, scope_of(current_user, "visits.read"),
        services.VisitFilters(state=state, outlet_id=query["outlet_id"],
                             visit_id=query["visit_id"]),
        query["cursor"], limit=PAGE_SIZE, newest_first=state == "done",
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
        outlet_id=query["outlet_id"], visit_id=query["visit_id"], list_args=_list_args(),
        errors=errors or {}, form=form or {}, may_record=can(current_user, "visits.write"),
    ), status


def _list_args() -> dict:
    """The queue's position and filter, kept by the forms on it and by the way back."""
    return {key: value for key, value in query_string().items() if key in ("cursor", "outlet")}


@home_tile("visits.write", order=60, jobs=frozenset({"agent"}))
def _visits_due_tile(session, user) -> TileView:
    due = services.due_count(session, scope_of(user, "visits.write"))
    return TileView(_("Return visits due"), str(due), _("Customers waiting for a return visit"),
                    url_for("visits.queue"))


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


def _record_refused(errors: dict, status: int, visit_id: int):
    # Read in the user's scope again: a visit they may not see stays a 404.
    services.get_visit(db.session, visit_id, scope_of(current_user, "visits.read"))
    return _render_list("due", {visit_id: placed(errors, RECORD_FIELDS)},
                        {visit_id: submitted().to_dict()}, status)


@bp.route("/<int:visit_id>/record", methods=["POST"])
@requires("visits.write")
@on_refusal(_record_refused)
def record(visit_id):
    data = form_input(VisitRecordPageSchema())
    visit = services.get_visit(db.session, visit_id, scope_of(current_user, "visits.write"))
    services.record_visit(
        db.session, visit, current_user, data["outcome"],
        # The score buttons may be touched before "not reached": only reached counts it.
        satisfaction=data["satisfaction"] if data["outcome"] == "reached" else None,
        comment=data["comment"],
    )
    flash(_recorded_message(visit), "success")
    return redirect(url_for("visits.queue", **_list_args()))


@bp.route("/surveys")
@requires("visits.read")
def survey_answers():
    """The satisfaction surveys customers answered from their phones, latest first."""
    query, _errors = query_input(SurveyQuerySchema())  # a bad filter value is ignored
    scope = scope_of(current_user, "visits.read")
    page = surveys.list_answers(db.session, scope, query["outlet_id"], query["survey_id"],
                                query["cursor"], PAGE_SIZE)
    return render_template(
        "visits/surveys.html", page=page, answers=page.items,
        counts=surveys.counts(db.session, scope),
        outlets=outlet_services.outlet_names(db.session, (a.outlet_id for a in page.items)),
        outlet_choices=outlet_services.outlet_choices(db.session),
        outlet_id=query["outlet_id"], survey_id=query["survey_id"], dimensions=SURVEY_DIMENSIONS,
        dimension_labels=DIMENSION_LABELS,
    )


def _last_month() -> tuple[date, date]:
    first_of_month = sampling.local_today().replace(day=1)
    end = first_of_month - timedelta(days=1)
    return end.replace(day=1), end


def _render_sample(errors: dict, status: int):
    first, last = _last_month()
    typed = {"from": first.isoformat(), "to": last.isoformat(), "share": "10", "seed": ""}
    samples = sampling.recent_samples(db.session)
    return render_template(
        "visits/sample.html", form={**typed, **submitted().to_dict()}, errors=errors,
        samples=samples,
        drawers=core_services.display_names(
            db.session, {s.drawn_by_id for s in samples if s.drawn_by_id}
        ),
    ), status


@bp.route("/sample")
@requires("visits.sample")
def sample():
    return _render_sample({}, 200)


@bp.route("/sample", methods=["POST"])
@requires("visits.sample")
@on_refusal(lambda errors, status: _render_sample(placed(errors, SAMPLE_FIELDS), status))
def draw_sample():
    data = form_input(SamplePageSchema())
    sampling.check_draws_everywhere(scope_of(current_user, "visits.sample"))
    drawn = sampling.draw_sample(db.session, current_user, **data)
    flash(_("Sample drawn: %(count)d return visits added to the queue.",
            count=drawn.sampled_count), "success")
    return redirect(url_for("visits.show_sample", sample_id=drawn.id))


@bp.route("/samples/<int:sample_id>")
@requires("visits.read")
def show_sample(sample_id):
    drawn = sampling.get_sample(db.session, sample_id)
    query, _errors = query_input(RedrawQuerySchema())
    check = sampling.redraw(db.session, drawn) if query["check"] else None
    names = core_services.display_names(db.session, {drawn.drawn_by_id} - {None})
    return render_template(
        "visits/sample_show.html", sample=drawn, check=check,
        outlets=outlet_services.outlet_names(db.session, (s.outlet_id for s in drawn.strata)),
        drawer=names.get(drawn.drawn_by_id, "—"),
    )


def _render_figures(first_day: date, last_day: date, errors: dict, status: int):
    today = sampling.local_today()
    last_month = _last_month()
    result = visit_figures.period_figures(db.session, first_day, last_day,
                                          scope_of(current_user, "visits.read"))
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
    ), status


@bp.route("/figures")
@requires("visits.read")
# A period that ends before it starts: last month's figures, with the reason.
@on_refusal(lambda errors, status: _render_figures(*_last_month(), errors, status))
def figures():
    # Either day left out: last month's; a bad day is named and its default shown.
    period, errors = query_input(PeriodSchema(partial=True))
    first_day, last_day = _last_month()
    return _render_figures(period.get("first_day", first_day), period.get("last_day", last_day),
                           errors, 422 if errors else 200)
