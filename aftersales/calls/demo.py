"""Six months of hotline calls: about 40 a day (x scale), nearly all answered within
hotline hours, the missed ones called back (a few still open), built through the
services so the figures, the queue and the audit trail are as in real use."""

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.calls import services
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.models import User
from aftersales.customers import queries as customer_queries

DAYS = 183
CALLS_PER_DAY = 40
OUT_OF_HOURS_SHARE = 0.03
UNANSWERED_SHARE = 0.03  # of the calls within hotline hours
KNOWN_CALLER_SHARE = 0.7
LEFT_OPEN = 4  # the latest missed calls, nobody has returned them yet
NOTES = ("空调不制冷，预约上门", "咨询保修期", "热水器点不着火", "催促维修进度", "洗衣机漏水",
         "询问安装费用", "冰箱异响", "改约上门时间", "投诉上门迟到", "")
# Calls per hour of the day within hotline hours: a morning and an afternoon peak.
HOUR_WEIGHTS = {8: 5, 9: 10, 10: 11, 11: 9, 12: 5, 13: 6, 14: 9, 15: 10, 16: 9, 17: 7, 18: 4,
                19: 3}
NIGHT_HOURS = (0, 1, 6, 7, 20, 21, 22, 23)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def _moment(rng: random.Random, day, in_hours: bool) -> datetime:
    if in_hours:
        hour = rng.choices(list(HOUR_WEIGHTS), weights=list(HOUR_WEIGHTS.values()))[0]
    else:
        hour = rng.choice(NIGHT_HOURS)
    local = datetime.combine(day, time(hour), DEFAULT_ZONE)
    return local + timedelta(seconds=rng.randrange(3600))


def _inbound(rng, queued: datetime, number: str, agent_id: int, unanswered: bool):
    if unanswered:
        outcome = "abandoned" if rng.random() < 0.4 else "missed"
        waited = timedelta(seconds=rng.randint(15, 120))
        return services.CallDraft(
            direction="inbound", caller_number=number, queued_at=queued, outcome=outcome,
            ended_at=queued + waited,
        )
    answered = queued + timedelta(seconds=min(180, int(rng.expovariate(1 / 14)) + 3))
    return services.CallDraft(
        direction="inbound", caller_number=number, queued_at=queued, outcome="answered",
        answered_at=answered, ended_at=answered + timedelta(seconds=rng.randint(40, 600)),
        agent_id=agent_id, note=rng.choice(NOTES),
    )


def _next_opening(moment: datetime) -> datetime:
    local = moment.astimezone(DEFAULT_ZONE)
    opening = datetime.combine(local.date(), time(8), DEFAULT_ZONE)
    return opening if local < opening else opening + timedelta(days=1)


def _call_back(session: Session, rng, missed, agent_id: int, now: datetime) -> int:
    """Return one missed call: sometimes a first attempt nobody picks up. Calls made."""
    start = missed.queued_at + timedelta(minutes=rng.randint(5, 90))
    if not missed.within_hotline_hours:
        start = _next_opening(missed.queued_at) + timedelta(minutes=rng.randint(0, 60))
    made = 0
    if rng.random() < 0.12 and start < now:
        services.call_back(
            session, missed.id, queued_at=start, outcome="missed",
            ended_at=start + timedelta(seconds=30), agent_id=agent_id,
        )
        start += timedelta(minutes=rng.randint(60, 180))
        made += 1
    answered = start + timedelta(seconds=rng.randint(5, 25))
    if answered + timedelta(minutes=5) > now:
        return made  # not yet: it stays in the queue
    services.call_back(
        session, missed.id, queued_at=start, answered_at=answered,
        ended_at=answered + timedelta(seconds=rng.randint(60, 300)),
        agent_id=agent_id, note="回拨：已联系客户",
    )
    return made + 1


def load(session: Session, rng: random.Random, scale: int) -> int:
    """Calls for the last DAYS days; returns how many were logged."""
    agent_id = session.scalar(select(User.id).where(User.username == "agent"))
    contact = customer_queries.customer_contacts()
    phones = list(session.scalars(select(contact.c.phone).order_by(contact.c.id)))
    now = utcnow()
    today = now.astimezone(DEFAULT_ZONE).date()
    drafts = []
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        weekend = 0.8 if day.weekday() >= 5 else 1.0
        volume = max(1, round(rng.gauss(CALLS_PER_DAY, 6) * scale * weekend))
        moments = []
        for _ in range(volume):
            in_hours = rng.random() >= OUT_OF_HOURS_SHARE
            moments.append((_moment(rng, day, in_hours), in_hours))
        for queued, in_hours in sorted(moments):
            if queued > now - timedelta(minutes=20):
                continue  # today: only what has happened already
            known = bool(phones) and rng.random() < KNOWN_CALLER_SHARE
            number = services.normalise_number(rng.choice(phones) if known else _phone(rng), False)
            unanswered = not in_hours or rng.random() < UNANSWERED_SHARE
            drafts.append(_inbound(rng, queued, number, agent_id, unanswered))
    calls = []
    for offset in range(0, len(drafts), 1000):
        calls += services.log_calls(session, drafts[offset : offset + 1000], strict_number=False)
    missed = [call for call in calls if call.answered_at is None]
    made = 0
    for call in missed[:-LEFT_OPEN]:  # the latest few wait in the callback queue
        made += _call_back(session, rng, call, agent_id, now)
    return len(calls) + made
