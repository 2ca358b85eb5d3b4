"""The satisfaction survey (满意度调查) after a work order closes: a share of the closed work
orders is sent a one-time link by SMS; the customer scores five dimensions (timeliness,
attitude, professional skill, result, fees) 1 to 5 and may write a few words. Their answer
is the customer's own act (customers/attestations.py), never a staff entry.

Which work orders are asked is not picked: a work order is in the sample when the first
eight hex digits of SHA-256("survey:<work order id>"), read as a number and divided by
2^32, fall below the share (VISITS_SURVEY_SHARE). Anyone can redo the sample from the ids.
At most one survey per work order (a unique work order id, inserted with ON CONFLICT DO
NOTHING), so two schedulers racing send one message.

Functions take a session and values, flush, and leave the commit to the caller."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import Session

from aftersales.core import settings as core_settings
from aftersales.core.clock import utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope
from aftersales.core.sql import insert_unless_present
from aftersales.customers import attestations
from aftersales.customers import services as customer_services
from aftersales.customers.attestations import AttestationChannel, AttestedStep
from aftersales.messaging import services as messaging
from aftersales.outlets import services as outlet_services
from aftersales.tickets import queries as ticket_queries
from aftersales.tickets import services as ticket_services
from aftersales.tickets.labels import ticket_number
from aftersales.visits import settings
from aftersales.visits.labels import SURVEY_DIMENSIONS
from aftersales.visits.models import SatisfactionSurvey

# Work orders closed this long before a run are still asked: a run missed for a few days
# catches up; older ones are not (the customer no longer remembers the visit well).
LOOKBACK = timedelta(days=7)
MAX_COMMENT = 1000
EQUAL_WEIGHTS = dict.fromkeys(SURVEY_DIMENSIONS, 1.0)
LOW_INDEX = 40  # of 100: a weighted mean of 2 of 5 or less is a dissatisfied answer


def in_sample(ticket_id: int, share: float) -> bool:
    """Whether the survey goes to this work order: recountable from its id alone."""
    digest = hashlib.sha256(f"survey:{ticket_id}".encode()).hexdigest()
    return int(digest[:8], 16) / 2**32 < share


def survey_address(token: str) -> str:
    return f"{core_settings.platform().public_url}/portal/survey/{token}"


def _candidates(session: Session, since: datetime, until: datetime) -> Select:
    """Work orders closed in [since, until) not asked yet: (id, customer, outlet)."""
    orders = ticket_queries.work_orders()
    asked = select(SatisfactionSurvey.id).where(SatisfactionSurvey.ticket_id == orders.c.id)
    return (
        select(orders.c.id, orders.c.customer_id, orders.c.outlet_id)
        .where(orders.c.state == "closed", orders.c.closed_at >= since,
               orders.c.closed_at < until, ~asked.exists())
        .order_by(orders.c.id)
    )


def send_surveys(session: Session, now: datetime | None = None) -> list[str]:
    """Ask the sampled work orders closed lately that were not asked yet; the tokens of the
    links sent. A work order another run claimed first is skipped. `now` is given only
    when replaying history (demo data)."""
    now = now or utcnow()
    values = settings.current()
    return [
        _send(session, ticket_id, customer_id, values.survey_link_lifetime, now)
        for ticket_id, customer_id, outlet_id in session.execute(
            _candidates(session, now - LOOKBACK, now)).all()
        if in_sample(ticket_id, values.survey_share)
        and _claim(session, ticket_id, outlet_id, now)
    ]


def _claim(session: Session, ticket_id: int, outlet_id: int | None, now: datetime) -> bool:
    claimed = session.execute(
        insert_unless_present(session, SatisfactionSurvey, "ticket_id")
        .values(ticket_id=ticket_id, outlet_id=outlet_id, sent_at=now, comment="")
        .returning(SatisfactionSurvey.id))
    return claimed.first() is not None


def _send(session: Session, ticket_id: int, customer_id: int, lifetime: timedelta,
          now: datetime) -> str:
    token = attestations.issue_link(
        session, step=AttestedStep.ANSWER_SURVEY, record_type="ticket", record_id=ticket_id,
        customer_id=customer_id, channel=AttestationChannel.SMS_LINK, lifetime=lifetime,
        now=now)
    # A survey is not part of the service: a customer who opted out is not sent it.
    messaging.send(session, template="satisfaction_survey", channel="sms", essential=False,
                   customer_id=customer_id,
                   values={"number": ticket_number(ticket_id), "link": survey_address(token)})
    return token


# ---------------------------------------------------------------- the customer's answer


@dataclass(frozen=True)
class SurveyAsked:
    """What the survey page shows: the work order and its product, nothing about staff."""

    number: str
    product: str
    expires_at: datetime


def _survey_link(session: Session, token: str, now: datetime | None = None):
    link = attestations.link_of(session, token, now)
    if link.step != AttestedStep.ANSWER_SURVEY or link.record_type != "ticket":
        raise attestations.LinkRefused("elsewhere")
    return link


def survey_asked(session: Session, token: str) -> SurveyAsked:
    """The survey a link opens, or LinkRefused (unknown, used, expired, elsewhere).
    Reading it changes nothing."""
    link = _survey_link(session, token)
    ticket = ticket_services.get_ticket(session, link.record_id)
    product = (customer_services.get_product(session, ticket.product_id).name
               if ticket.product_id else "")
    return SurveyAsked(ticket_number(ticket.id), product, link.expires_at)


def _checked_scores(scores: dict) -> dict[str, int]:
    checked = {}
    for name in SURVEY_DIMENSIONS:
        value = scores.get(name)
        if isinstance(value, bool) or value not in (1, 2, 3, 4, 5):
            raise ValidationFailed(_l("Choose a score from 1 to 5."), field=name)
        checked[name] = value
    return checked


def answer_survey(session: Session, token: str, scores: dict, comment: str, user_agent: str,
                  at: datetime | None = None) -> SatisfactionSurvey:
    """The customer's answer: the link is spent, the scores and the act stored, in the
    caller's transaction; or nothing changes and the refusal says why. `at` is given only
    when replaying history (demo data)."""
    scores = _checked_scores(scores)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(_l("At most %(count)d characters.", count=MAX_COMMENT),
                               field="comment")
    link = _survey_link(session, token, at)
    survey = session.scalar(select(SatisfactionSurvey).where(
        SatisfactionSurvey.ticket_id == link.record_id))
    if survey is None or survey.answered_at is not None:
        raise attestations.LinkRefused("used" if survey else "elsewhere")
    link = attestations.use_link(session, token, step=AttestedStep.ANSWER_SURVEY,
                                 record_type="ticket", record_id=link.record_id, now=at)
    act = attestations.record_act(
        session, customer_id=link.customer_id, record_type="ticket", record_id=link.record_id,
        step=AttestedStep.ANSWER_SURVEY, channel=link.channel, user_agent=user_agent,
        link_id=link.id, at=at)
    for name, value in scores.items():
        setattr(survey, name, value)
    survey.comment, survey.answered_at, survey.act_id = comment, act.at, act.id
    session.flush()
    return survey


# ---------------------------------------------------------------- the index


def index_100(weights: dict[str, float] | None = None):
    """One answered survey's weighted mean of its five scores, x 20 (a 100 scale), as a
    SQL expression; equal weights unless the rubric says otherwise."""
    weights = weights or EQUAL_WEIGHTS
    total = sum(weights.values())
    weighted = sum((getattr(SatisfactionSurvey, name) * literal(float(weights[name]))
                    for name in SURVEY_DIMENSIONS), literal(0.0))
    return weighted * literal(20.0 / total)


def weighted_index(scores: dict[str, int], weights: dict[str, float] | None = None) -> float:
    """The same in Python, for one answer shown on a page."""
    weights = weights or EQUAL_WEIGHTS
    return round(sum(scores[name] * weights[name] for name in SURVEY_DIMENSIONS)
                 * 20 / sum(weights.values()), 1)


def answered_between(start: datetime, end: datetime) -> Select:
    """The surveys answered in [start, end): their ids."""
    return select(SatisfactionSurvey.id).where(
        SatisfactionSurvey.answered_at >= start, SatisfactionSurvey.answered_at < end)


def index_of(session: Session, start: datetime, end: datetime,
             weights: dict[str, float] | None = None) -> tuple[float | None, int, int]:
    """The period's survey index (the mean of the answers' indexes), how many answers,
    and how many of them were dissatisfied (an index of LOW_INDEX or less)."""
    index = index_100(weights)
    answers = answered_between(start, end).add_columns(index.label("index")).subquery()
    mean, count, low = session.execute(select(
        func.avg(answers.c.index), func.count(),
        func.count(case((answers.c.index <= LOW_INDEX, 1))))).one()
    return (round(float(mean), 1) if count else None), count, low


def surveys_of_tickets(session: Session, ticket_ids) -> dict[int, SatisfactionSurvey]:
    """The survey of each work order that was sent one (one query)."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    return {survey.ticket_id: survey for survey in session.scalars(
        select(SatisfactionSurvey).where(SatisfactionSurvey.ticket_id.in_(ids)))}


def list_answers(session: Session, scope: Scope, outlet_id: int | None,
                 survey_id: int | None, cursor: str | None, limit: int) -> Page:
    """The answered surveys in the user's outlets (of one outlet, or one answer alone),
    latest first."""
    stmt = outlet_services.in_scope(
        select(SatisfactionSurvey).where(SatisfactionSurvey.answered_at.is_not(None)),
        scope, SatisfactionSurvey.outlet_id)
    if outlet_id is not None:
        stmt = stmt.where(SatisfactionSurvey.outlet_id == outlet_id)
    if survey_id is not None:
        stmt = stmt.where(SatisfactionSurvey.id == survey_id)
    return keyset_page(session, stmt, SatisfactionSurvey.id, cursor, limit, newest_first=True)


@dataclass(frozen=True)
class SurveyCounts:
    sent: int
    answered: int


def counts(session: Session, scope: Scope) -> SurveyCounts:
    """Surveys sent and answered in the user's outlets (one query)."""
    stmt = outlet_services.in_scope(
        select(func.count(), func.count(SatisfactionSurvey.answered_at)), scope,
        SatisfactionSurvey.outlet_id)
    return SurveyCounts(*session.execute(stmt.select_from(SatisfactionSurvey)).one())
