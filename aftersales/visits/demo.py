"""Return visits of the demo's closed work orders: the default 10% sample drawn early in
every month for the month before, then the calls, mostly a few days after the drawing."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.tickets import queries as ticket_queries
from aftersales.tickets import services as ticket_services
from aftersales.visits import sampling, services, surveys
from aftersales.visits.labels import SURVEY_DIMENSIONS
from aftersales.visits.models import ReturnVisit

SCORES = ((5, 66), (4, 24), (3, 4), (2, 3), (1, 3))
GOOD_WORDS = {
    5: ("师傅很专业，上门准时", "修好了，服务态度很好", "非常满意，谢谢", ""),
    4: ("整体满意，就是等了一天", "修好了，师傅有点赶时间", ""),
    3: ("还行，来回跑了两次", "一般"),
    2: ("修完三天又坏了", "师傅迟到两个小时也没打招呼"),
    1: ("根本没修好，还收了上门费", "态度很差，要投诉"),
}
MISSED_WORDS = ("无人接听", "关机", "正在通话中", "")


def _month_starts(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(9, 17), rng.randrange(60)), DEFAULT_ZONE)


def load(session: Session, rng: random.Random) -> int:
    """Draw month by month, as a manager would at the start of each month, then call."""
    manager = core_services.find_user(session, "manager")
    agent = core_services.find_user(session, "agent")
    dispatcher = core_services.find_user(session, "dispatcher")
    orders = ticket_queries.work_orders()
    first_closed = session.scalar(
        select(func.min(orders.c.closed_at)).where(orders.c.state == "closed")
    )
    if first_closed is None:
        return 0
    now = utcnow()
    today = now.astimezone(DEFAULT_ZONE).date()
    for month in _month_starts(first_closed.astimezone(DEFAULT_ZONE).date(), today):
        next_month = (month + timedelta(days=32)).replace(day=1)
        drawn_at = _at(next_month + timedelta(days=1), rng)
        last_day = next_month - timedelta(days=1)
        if drawn_at >= now:  # this month: drawn this morning over the days so far
            last_day, drawn_at = today - timedelta(days=1), now - timedelta(hours=1)
            if last_day < month:
                continue
        try:
            sample = sampling.draw_sample(
                session, manager, month, last_day, seed=rng.randrange(2**31), now=drawn_at
            )
        except sampling.NothingToDraw:
            continue
        _call(session, rng, agent, dispatcher, sample.id, drawn_at, now)
    _survey(session, rng, today, now)
    return session.scalar(select(func.count(ReturnVisit.id)))


def _call(session, rng, agent, dispatcher, sample_id, drawn_at, now) -> None:
    visits = session.scalars(
        select(ReturnVisit).where(ReturnVisit.sample_batch_id == sample_id).order_by(ReturnVisit.id)
    ).all()
    scores, weights = zip(*SCORES, strict=True)
    for visit in visits:
        at = _office_hours(drawn_at + timedelta(hours=rng.randrange(2, 72)), rng)
        unreachable = rng.random() < 0.04  # a wrong number, a phone always off
        while visit.state == "due" and at < now:
            luck = 0.0 if unreachable else rng.random()
            if luck < 0.14:
                services.record_visit(session, visit, agent, "not_reached",
                                      comment=rng.choice(MISSED_WORDS), now=at)
                at = _office_hours(at + timedelta(hours=rng.randrange(20, 50)), rng)
            elif luck < 0.19:
                services.record_visit(session, visit, agent, "refused", comment="不方便，不想回答",
                                      now=at)
            else:
                score = rng.choices(scores, weights)[0]
                services.record_visit(session, visit, agent, "reached", satisfaction=score,
                                      comment=rng.choice(GOOD_WORDS[score]), now=at)
                if visit.follow_up_ticket_id:
                    _assign(session, rng, visit, dispatcher, at, now)


SURVEY_DAYS = 90
SURVEY_ANSWERED = 0.55  # of the surveys sent, the share the customers answer
SURVEY_WORDS = ("", "", "师傅很准时，讲解也清楚", "收费和报价一致", "希望上门再快一点",
                "修好了，满意", "配件费有点贵")
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49"


def _survey(session, rng, today, now) -> None:
    """The survey job's evening runs over the last months, and the customers who answered
    from their phones within two days, each dimension close to their overall mood."""
    scores, weights = zip(*SCORES, strict=True)
    for days_back in range(SURVEY_DAYS, 0, -1):
        run_at = datetime.combine(today - timedelta(days=days_back), time(19, 5), DEFAULT_ZONE)
        for token in surveys.send_surveys(session, now=run_at):
            answered_at = run_at + timedelta(hours=rng.randrange(1, 48))
            if rng.random() >= SURVEY_ANSWERED or answered_at >= now:
                continue
            mood = rng.choices(scores, weights)[0]
            answer = {name: min(5, max(1, mood + rng.choice((-1, 0, 0, 0, 1))))
                      for name in SURVEY_DIMENSIONS}
            surveys.answer_survey(session, token, answer, rng.choice(SURVEY_WORDS), PHONE,
                                  at=answered_at)


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    """Agents call between 09:00 and 20:00: a later time moves to the next morning."""
    local = moment.astimezone(DEFAULT_ZONE)
    if 9 <= local.hour < 20:
        return moment
    day = local.date() + timedelta(days=1 if local.hour >= 20 else 0)
    return _at(day, rng)


def _assign(session, rng, visit, dispatcher, at, now) -> None:
    """The desk picks the follow-up up within the hour and sends the technician who did the
    work (the follow-up is opened at the same outlet)."""
    at += timedelta(minutes=rng.randrange(10, 60))
    if at < now:
        technician_id = ticket_services.get_ticket(session, visit.ticket_id).technician_id
        ticket_services.move_ticket(
            session, ticket_services.get_ticket(session, visit.follow_up_ticket_id),
            ticket_services.Move("assigned", technician_id=technician_id), dispatcher,
            may_dispatch=True, now=at,
        )
