"""Evidence providers of return visits (clauses 5.3.1.3, 5.3.1.4, 5.1.6.1): the share of
closed work orders whose visit reached the customer, satisfaction on a 100 scale (visits
that reached someone are the only ones scored), follow-ups of the dissatisfied finished.
All from the period figures (one grouped query). Beside the return visits' score, 5.3.1.4
counts the satisfaction survey's index: each answer's weighted mean of its five scores on a
100 scale (weights in the rubric), averaged over the answers of the period."""

from sqlalchemy import Numeric, and_, cast, func, literal, or_, select

from aftersales.evidence.compliance.registry import (
    Measure,
    provider,
    record_link,
    record_names,
)
from aftersales.tickets import queries as ticket_queries
from aftersales.visits import figures as visit_figures
from aftersales.visits import surveys
from aftersales.visits.labels import SURVEY_DIMENSIONS
from aftersales.visits.models import DISSATISFIED, ReturnVisit, SatisfactionSurvey

TABLES = ("return_visits", "visit_samples", "tickets")
record_link("return_visits", "visits.done", "visit")
record_names("return_visits", lambda session, ids: {
    visit.id: visit.ticket_number for visit in session.scalars(
        select(ReturnVisit).where(ReturnVisit.id.in_(ids)))})


def _closed_in(period, orders):
    return and_(orders.c.state == "closed", orders.c.closed_at >= period.start,
                orders.c.closed_at < period.end)


def _of_closed(period):
    """Visits of the work orders closed in the period (as the figures count them)."""
    orders = ticket_queries.work_orders()
    return (
        select(ReturnVisit.id)
        .join(orders, orders.c.id == ReturnVisit.ticket_id)
        .where(_closed_in(period, orders))
    )


def _figures(session, period):
    """One grouped query, shared by the three providers of a recompute."""
    return period.shared("visits.figures", lambda: visit_figures.period_figures(
        session, period.first_day, period.last_day).overall)


@provider("visits.return_visit_rate", record_type="tickets", tables=TABLES)
def return_visit_rate(session, period, target):
    """Of the work orders closed in the period, the share whose return visit was made and
    reached the customer: a visit drawn into the sample is not a visit made, and a call
    nobody answered is not a return visit. The records are the closed work orders, each
    with its visit's state and outcome, so the share recounts from the file."""
    overall = _figures(session, period)
    orders = ticket_queries.work_orders()
    closed = (
        select(orders.c.id)
        .outerjoin(ReturnVisit, ReturnVisit.ticket_id == orders.c.id)
        .where(_closed_in(period, orders))
    )
    not_reached = or_(ReturnVisit.outcome.is_(None), ReturnVisit.outcome != "reached")
    return Measure.share(
        overall.reached, overall.closed,
        records=closed.order_by(orders.c.id.desc()),
        failing=closed.where(not_reached).order_by(orders.c.id),
        detail=closed.add_columns(ReturnVisit.state.label("visit_state"),
                                  ReturnVisit.outcome.label("visit_outcome"),
                                  ReturnVisit.called_at.label("visit_called_at")),
    )


@provider("visits.satisfaction", record_type="return_visits", tables=TABLES)
def satisfaction(session, period, target):
    """Average score x 20; the dissatisfied (1 or 2) are the records that pull it down."""
    overall = _figures(session, period)
    scored = _of_closed(period).where(ReturnVisit.satisfaction.is_not(None))
    return Measure(
        overall.satisfaction_100, overall.scored - overall.dissatisfied, overall.scored,
        records=scored.order_by(ReturnVisit.id.desc()),
        failing=scored.where(ReturnVisit.satisfaction <= DISSATISFIED).order_by(ReturnVisit.id),
    )


@provider("visits.follow_ups_finished", record_type="return_visits", tables=TABLES)
def follow_ups_finished(session, period, target):
    overall = _figures(session, period)
    with_follow_up = _of_closed(period).where(ReturnVisit.follow_up_ticket_id.is_not(None))
    later = ticket_queries.work_orders("follow_up")
    follow_up = select(later.c.id).where(
        and_(later.c.id == ReturnVisit.follow_up_ticket_id,
             later.c.state.in_(visit_figures.FINISHED_TICKET_STATES))
    ).exists()
    return Measure.share(
        overall.follow_ups_finished, overall.follow_ups,
        records=with_follow_up.order_by(ReturnVisit.id.desc()),
        failing=with_follow_up.where(~follow_up).order_by(ReturnVisit.id),
    )


SURVEY_INDEX = "visits.survey_index"
record_link("satisfaction_surveys", "visits.survey_answers", "survey")
record_names("satisfaction_surveys", lambda session, ids: {
    survey.id: survey.ticket_number for survey in session.scalars(
        select(SatisfactionSurvey).where(SatisfactionSurvey.id.in_(ids)))})


@provider(SURVEY_INDEX, record_type="satisfaction_surveys", tables=("satisfaction_surveys",))
def survey_index(session, period, target):
    """The mean of the period's answers' weighted indexes; the dissatisfied answers (an
    index of 40 or less) pull it down. Each record carries its work order, its five scores,
    the weights and its index, so the figure recounts from the file."""
    weights = period.weights(SURVEY_INDEX)
    value, answered, low = surveys.index_of(session, period.start, period.end, weights)
    index = surveys.index_100(weights)
    records = surveys.answered_between(period.start, period.end)
    return Measure(
        value, answered - low, answered,
        records=records.order_by(SatisfactionSurvey.id.desc()),
        failing=records.where(index <= surveys.LOW_INDEX).order_by(SatisfactionSurvey.id),
        detail=records.add_columns(
            *(getattr(SatisfactionSurvey, name).label(name) for name in SURVEY_DIMENSIONS),
            *(literal(weights[name]).label(f"weight_{name}") for name in SURVEY_DIMENSIONS),
            func.round(cast(index, Numeric(7, 4)), 2).label("index_100")),
    )
