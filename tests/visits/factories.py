"""Closed work orders at chosen times, and return visits drawn from them.

A work order is opened through the tickets service; its closing is stamped directly,
because the work-order state machine (dispatch, sign-off, fee rules) is not what these
tests are about, and these tests need closings at exact local times."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from aftersales.visits import sampling
from aftersales.visits.models import ReturnVisit
from tests.factories import make_customer, make_ticket

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))


def local(day: date, clock: str = "15:00") -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), DEFAULT_ZONE)


def make_closed_ticket(closed_at: datetime, outlet=None, customer=None, commit=True,
                       **overrides):
    opened = closed_at - timedelta(days=1)
    ticket = make_ticket(
        customer=customer, commit=False, outlet_id=outlet.id if outlet else None,
        received_at=opened, now=opened, **overrides,
    )
    db.session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id)
        .values(state="closed", resolved_at=closed_at - timedelta(hours=2), closed_at=closed_at)
    )
    db.session.expire(ticket)
    if commit:
        db.session.commit()
    return ticket


def make_closed_tickets(count: int, day: date, outlet=None, customer=None) -> list[int]:
    """`count` work orders closed on local `day`, a minute apart from 09:00; their ids."""
    customer = customer or make_customer(commit=False)
    ids = [
        make_closed_ticket(
            local(day, "09:00") + timedelta(minutes=n), outlet, customer, commit=False
        ).id
        for n in range(count)
    ]
    db.session.commit()
    return ids


def draw(period=MARCH, share="0.10", seed=27922, actor=None, commit=True):
    sample = sampling.draw_sample(db.session, actor, *period, share=share, seed=seed)
    if commit:
        db.session.commit()
    return sample


def sampled_ticket_ids(sample=None) -> set[int]:
    stmt = select(ReturnVisit.ticket_id)
    if sample is not None:
        stmt = stmt.where(ReturnVisit.sample_batch_id == sample.id)
    return set(db.session.scalars(stmt))


def make_visit(closed_on: date = date(2026, 3, 10), outlet=None, customer=None, commit=True,
               **overrides) -> ReturnVisit:
    """One due return visit of a freshly closed work order (the only one of its day)."""
    ticket = make_closed_ticket(local(closed_on), outlet, customer, commit=False, **overrides)
    sampling.draw_sample(db.session, None, closed_on, closed_on, share="1", seed=1)
    visit = db.session.scalar(select(ReturnVisit).where(ReturnVisit.ticket_id == ticket.id))
    if commit:
        db.session.commit()
    return visit


def sent_surveys(now: datetime) -> list[str]:
    """Run the survey job at `now` and commit; the tokens of the links it sent by SMS."""
    from aftersales.visits import surveys

    tokens = surveys.send_surveys(db.session, now=now)
    db.session.commit()
    return tokens


def answered_survey(scores: dict, closed_at: datetime | None = None, comment: str = ""):
    """A work order closed (a day before now, unless told), surveyed and answered."""
    from aftersales.visits import surveys

    closed_at = closed_at or utcnow() - timedelta(days=1)
    make_closed_ticket(closed_at)
    (token,) = sent_surveys(closed_at + timedelta(hours=1))
    answer = surveys.answer_survey(db.session, token, scores, comment, "pytest",
                                   at=closed_at + timedelta(hours=2))
    db.session.commit()
    return answer
