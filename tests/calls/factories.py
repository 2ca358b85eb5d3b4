"""Calls built through the services. Times are local (Asia/Shanghai) on days counted
from a base day a month ago, so nothing is in the future whenever the suite runs."""

from datetime import datetime, time, timedelta

from aftersales.calls import services
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.extensions import db

BASE_DAY = utcnow().astimezone(DEFAULT_ZONE).date() - timedelta(days=30)


def at(clock: str, day: int = 0) -> datetime:
    """Local time on BASE_DAY + day: at("09:30"), at("21:00:05", day=1)."""
    return datetime.combine(BASE_DAY + timedelta(days=day), time.fromisoformat(clock), DEFAULT_ZONE)


def draft(number="13912345678", queued=None, outcome="answered", wait=20, talk=120,
          direction="inbound", **overrides) -> services.CallDraft:
    queued_at = queued or at("09:00")
    answered_at = queued_at + timedelta(seconds=wait) if outcome == "answered" else None
    ended_at = (answered_at + timedelta(seconds=talk)) if answered_at else (
        queued_at + timedelta(seconds=wait)
    )
    values = {
        "direction": direction,
        "caller_number": number,
        "queued_at": queued_at,
        "outcome": outcome,
        "answered_at": answered_at,
        "ended_at": ended_at,
        **overrides,
    }
    return services.CallDraft(**values)


def make_call(number="13912345678", queued=None, outcome="answered", commit=True, **values):
    call = services.log_call(db.session, draft(number, queued, outcome, **values))
    if commit:
        db.session.commit()
    return call


def make_missed(number="13912345678", queued=None, outcome="missed", wait=30, commit=True):
    return make_call(number, queued, outcome, wait=wait, commit=commit)


def make_callback(missed, after=timedelta(minutes=30), reached=True, wait=10, commit=True):
    """The outbound call returning `missed`, `after` the missed call came in."""
    queued_at = missed.queued_at + after
    answered_at = queued_at + timedelta(seconds=wait) if reached else None
    call = services.call_back(
        db.session,
        missed.id,
        queued_at=queued_at,
        outcome="answered" if reached else "missed",
        answered_at=answered_at,
        ended_at=(answered_at or queued_at) + timedelta(seconds=60),
    )
    if commit:
        db.session.commit()
    return call
