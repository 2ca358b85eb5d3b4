"""Freezing audit periods in the background: a manager asks on the page or the API and the
scheduler (evidence.freeze_periods) freezes. At one enterprise's size a year's freeze runs
for minutes, longer than a web request may; it still runs in one transaction, so a
failure leaves no half-frozen period, only a failed request saying why.

The request is checked when it is made (the days, the sample, not frozen yet, not being
frozen), so a mistake is answered at once, naming the field; the seed is drawn then and
kept, so the period is frozen with the sample the request shows.
"""

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from aftersales.core.audit import Actor, acting_as
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, DomainError, NotFound
from aftersales.core.sample_input import checked_seed, checked_share
from aftersales.evidence.audit import background, periods
from aftersales.evidence.audit.background import INTERRUPTED, UNDER_WAY, finish, orphaned
from aftersales.evidence.models import FreezeRequest

log = logging.getLogger(__name__)
FAILURES_SHOWN_FOR = timedelta(days=7)


def request_freeze(session: Session, actor: Actor, first_day: date, last_day: date,
                   share: Decimal, seed: int | None,
                   now: datetime | None = None) -> FreezeRequest:
    """Queue the freeze of (first_day, last_day); one request per period at a time."""
    now = now or utcnow()
    periods.check_freezable(session, first_day, last_day, now)
    share, seed = checked_share(share), checked_seed(seed)
    for earlier in session.scalars(select(FreezeRequest).where(
        FreezeRequest.first_day == first_day, FreezeRequest.last_day == last_day,
        FreezeRequest.status.in_(UNDER_WAY),
    ).with_for_update()):
        if not orphaned(earlier, now):
            raise Conflict(_l("This period is being frozen already."))
        finish(earlier, "failed", INTERRUPTED)
    request = FreezeRequest(
        first_day=first_day, last_day=last_day, sample_share=share, sample_seed=seed,
        requested_by_id=actor.id, requested_by_label=actor.label, requested_at=now,
    )
    session.add(request)
    session.flush()
    return request


def get(session: Session, request_id: int) -> FreezeRequest:
    request = session.get(FreezeRequest, request_id)
    if request is None:
        raise NotFound(_l("No such freeze request."))
    return request


def showing(session: Session, now: datetime | None = None) -> list[FreezeRequest]:
    """The requests the periods page shows, newest first: those under way, and those that
    failed in the last week (a frozen one shows as its period)."""
    since = (now or utcnow()) - FAILURES_SHOWN_FOR
    return list(session.scalars(select(FreezeRequest).where(or_(
        FreezeRequest.status.in_(UNDER_WAY),
        (FreezeRequest.status == "failed") & (FreezeRequest.requested_at >= since),
    )).order_by(FreezeRequest.id.desc())))


def run(session: Session, request: FreezeRequest) -> None:
    """Freeze a started request's period in one transaction, as the person who asked, then
    record how it ended. Commits."""
    request_id = request.id
    actor = Actor(request.requested_by_id, request.requested_by_label)
    try:
        with background.beating(FreezeRequest, request_id), acting_as(actor):
            frozen = periods.freeze(session, actor, request.first_day, request.last_day,
                                    request.sample_share, request.sample_seed)
            finish(request, "done")
            request.period_id = frozen.id
            session.commit()
    except Exception as error:
        session.rollback()
        if not isinstance(error, DomainError):
            log.exception("freezing for request %s failed", request_id)
        reason = str(error.message) if isinstance(error, DomainError) else (
            f"{type(error).__name__}: {error}")
        with acting_as(actor):
            finish(get(session, request_id), "failed", reason[:2000])
            session.commit()


def fail_abandoned(session: Session, now: datetime | None = None) -> int:
    """Running freezes nobody is doing (the process died): failed, so the period can be
    asked for again. Their transaction died with them: nothing of it was kept."""
    abandoned = background.running_abandoned(session, FreezeRequest, now or utcnow())
    for request in abandoned:
        finish(request, "failed", INTERRUPTED)
    session.flush()
    return len(abandoned)
