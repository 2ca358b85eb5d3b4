"""The escalation ladder, run by the scheduler (aftersales/scheduler.py, lease holder only).

Nothing is kept in memory between runs: each run reads the running clocks, computes from
their stored start, target and pauses when each step of the ladder is due, and fires the
steps that are due and not yet in the ledger (complaint_escalations). The ledger's unique
(complaint, cycle, step) key and the notifications' unique (user, dedupe key) make a step
fire and notify exactly once, even if two schedulers ever overlapped or one restarted.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from aftersales.complaints import clocks, settings
from aftersales.complaints.labels import RECIPIENT_LABELS, step_label
from aftersales.complaints.models import (
    OPEN_STATES,
    Complaint,
    ComplaintClock,
    ComplaintEscalation,
    ComplaintEvent,
    ComplaintPause,
)
from aftersales.core.clock import to_zone, utcnow
from aftersales.core.models import RoleGrant, User
from aftersales.core.types import epoch_seconds
from aftersales.notifications.services import notify
from aftersales.outlets import services as outlet_services

log = logging.getLogger(__name__)
BATCH = 500
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Due:
    complaint_id: int
    cycle: int
    step: clocks.Step
    due_at: datetime


@dataclass(frozen=True)
class _Running:
    """A running clock as the scan reads it: plain columns, no ORM object."""

    complaint_id: int
    cycle: int
    calendar: str
    started_at: datetime
    target_seconds: int
    outlet_id: int | None


# The prefilter's slack: epoch seconds are floats on SQLite; the exact time is Python's.
_SLACK_SECONDS = 1.0


def candidates_statement(step: clocks.Step, now: datetime) -> Select:
    """Running clocks of the step's kind whose step may be due (its least wall time from
    the start has passed: counted time never runs faster than the wall) and that have not
    fired it in their cycle: one query per step, over the partial index of running
    clocks."""
    least_due = (epoch_seconds(ComplaintClock.started_at)
                 + ComplaintClock.target_seconds * step.fraction
                 + step.after.total_seconds())
    fired = exists().where(
        ComplaintEscalation.complaint_id == ComplaintClock.complaint_id,
        ComplaintEscalation.cycle == ComplaintClock.cycle,
        ComplaintEscalation.step_key == step.key,
    )
    return (
        select(ComplaintClock.complaint_id, ComplaintClock.cycle, ComplaintClock.calendar,
               ComplaintClock.started_at, ComplaintClock.target_seconds, Complaint.outlet_id)
        .join(Complaint, Complaint.id == ComplaintClock.complaint_id)
        .where(
            ComplaintClock.kind == step.clock,
            ComplaintClock.stopped_at.is_(None),
            ComplaintClock.cycle == Complaint.cycle,
            Complaint.state.in_(OPEN_STATES),
            least_due <= now.timestamp() + _SLACK_SECONDS,
            ~fired,
        )
        .order_by(ComplaintClock.id)
        .limit(BATCH)
    )


def _candidates(session: Session, step: clocks.Step, now: datetime) -> list[_Running]:
    return [_Running(*row) for row in session.execute(candidates_statement(step, now))]


def due_steps(session: Session, now: datetime | None = None,
              ladder: tuple[clocks.Step, ...] | None = None) -> list[Due]:
    """The ladder steps due now and not fired yet, computed from stored times."""
    now = now or utcnow()
    candidates = {step: _candidates(session, step, now)
                  for step in ladder or settings.current().ladder}
    pauses = _pauses(session, {(clock.complaint_id, clock.cycle)
                               for running in candidates.values() for clock in running})
    due: list[Due] = []
    for step, running in candidates.items():
        for clock in running:
            threshold = step.threshold(
                clocks.calendar_named(session, clock.calendar, clock.outlet_id),
                clock.started_at, timedelta(seconds=clock.target_seconds),
                pauses.get((clock.complaint_id, clock.cycle), []),
            )
            if threshold is not None and threshold <= now:
                due.append(Due(clock.complaint_id, clock.cycle, step, threshold))
    return due


def _pauses(session: Session, keys: set[tuple[int, int]]) -> dict[tuple[int, int], list]:
    """The pauses of these clocks' cycles, in one query however many: pauses are few, and
    the running clocks' complaints are the open ones."""
    if not keys:
        return {}
    running = select(ComplaintClock.complaint_id).where(ComplaintClock.stopped_at.is_(None))
    found: dict[tuple[int, int], list] = {}
    rows = session.execute(
        select(ComplaintPause.complaint_id, ComplaintPause.cycle, ComplaintPause.started_at,
               ComplaintPause.ended_at)
        .where(ComplaintPause.complaint_id.in_(running))
        .order_by(ComplaintPause.started_at)
    )
    for complaint_id, cycle, start, end in rows:
        if (complaint_id, cycle) in keys:
            found.setdefault((complaint_id, cycle), []).append((start, end))
    return found


class _Recipients:
    """Who each rung notifies, looked up once per outlet and role within a run.

    handler: the complaint's handler, or else every complaint handler covering it;
    supervisor: managers scoped to the complaint's outlet or its region, or else every
    enterprise-wide manager; manager: the enterprise-wide managers.
    """

    def __init__(self, session: Session):
        self.session = session
        self.cache: dict[tuple[str, int | None], list[int]] = {}

    def _grantees(self, role: str, outlet_id: int | None, local_only: bool) -> list[int]:
        key = (f"{role}:{local_only}", outlet_id)
        if key not in self.cache:
            region = (outlet_services.get_outlet(self.session, outlet_id).region_code
                      if outlet_id is not None else None)
            local = or_(RoleGrant.outlet_id == outlet_id, RoleGrant.region_code == region) \
                if outlet_id is not None else None
            wide = and_(RoleGrant.outlet_id.is_(None), RoleGrant.region_code.is_(None))
            where = local if local_only else (wide if local is None else or_(wide, local))
            ids = [] if where is None else self.session.scalars(
                select(RoleGrant.user_id).distinct()
                .join(User, User.id == RoleGrant.user_id)
                .where(RoleGrant.role == role, User.is_enabled, where)
                .order_by(RoleGrant.user_id)
            ).all()
            self.cache[key] = list(ids)
        return self.cache[key]

    def of(self, complaint: Complaint, recipient: str) -> list[int]:
        if recipient == "handler":
            if complaint.handler_id is not None:
                return [complaint.handler_id]
            return self._grantees("complaint_handler", complaint.outlet_id, local_only=False)
        if recipient == "supervisor":
            local = self._grantees("manager", complaint.outlet_id, local_only=True)
            if local:
                return local
        return self._grantees("manager", None, local_only=False)


def _message(complaint: Complaint, due: Due) -> tuple[LazyString, LazyString]:
    """Subject and body as lazy messages: each recipient reads them in their language."""
    clock = _l("first response") if due.step.clock == "response" else _l("resolution")
    if due.step.fraction < 1:
        subject = _l("Complaint %(number)s: %(percent)d%% of the %(clock)s time has run",
                    number=complaint.number, percent=round(due.step.fraction * 100), clock=clock)
    elif due.step.after:
        subject = _l("Complaint %(number)s: the %(clock)s time is overdue by %(hours)d h",
                    number=complaint.number, clock=clock,
                    hours=round(due.step.after.total_seconds() / 3600))
    else:
        subject = _l("Complaint %(number)s: the %(clock)s time is overdue",
                    number=complaint.number, clock=clock)
    body = _l(
        "%(summary)s\nReceived %(received)s; due %(due)s.",
        summary=complaint.summary,
        received=to_zone(complaint.received_at).strftime("%Y-%m-%d %H:%M"),
        due=to_zone(due.due_at).strftime("%Y-%m-%d %H:%M"),
    )
    return subject, body


@dataclass(frozen=True)
class Rung:
    """One escalation as the ledger, the notification and the timeline record it."""

    step_key: str
    clock_kind: str
    recipient: str
    due_at: datetime
    subject: object  # a lazy message: each recipient reads it in their language
    body: object


def record_rung(session: Session, complaint: Complaint, rung: Rung, user_ids: set[int],
                now: datetime, actor: User | None = None, reason: str | None = None
                ) -> int | None:
    """Record `rung` in the ledger of the complaint's current cycle, notify `user_ids` once
    and write the timeline; the number notified, or None when the rung was recorded already
    (the insert yields to the unique key: on PostgreSQL it waits for the other transaction,
    then does nothing). Shared by the ladder and the handler's escalation by hand."""
    entry_id = session.execute(
        _INSERTS[session.get_bind().dialect.name](ComplaintEscalation)
        .values(complaint_id=complaint.id, cycle=complaint.cycle, step_key=rung.step_key,
                clock_kind=rung.clock_kind, recipient_role=rung.recipient,
                due_at=rung.due_at, fired_at=now, notified=0)
        .on_conflict_do_nothing(index_elements=["complaint_id", "cycle", "step_key"])
        .returning(ComplaintEscalation.id)
    ).scalar()
    if entry_id is None:
        return None
    with force_locale("zh"):  # the text kept beside the message: the enterprise's
        created = notify(
            session, user_ids=user_ids, subject=rung.subject, body=rung.body,
            link=f"/complaints/{complaint.id}",
            dedupe_key=f"complaint:{complaint.id}:cycle:{complaint.cycle}:step:{rung.step_key}",
        )
    # psycopg has been seen to report an unknown row count (-1) here; the key is new
    # (the ledger row is), so every enabled recipient was notified.
    notified = created if created >= 0 else len(user_ids)
    session.execute(update(ComplaintEscalation)
                    .where(ComplaintEscalation.id == entry_id).values(notified=notified))
    text = _escalation_text(rung, notified)
    session.add(ComplaintEvent(
        complaint_id=complaint.id, cycle=complaint.cycle, at=now,
        actor_id=actor.id if actor else None,
        actor_label=actor.username if actor else "scheduler", kind="escalated",
        text=f"{text}: {reason}" if reason else text,
    ))
    session.flush()
    return notified


def _escalation_text(rung: Rung, notified: int) -> str:
    """The timeline's line for a rung that fired, in words, in the enterprise's language
    (timeline text is stored as written)."""
    with force_locale("zh"):
        return _("%(step)s → %(recipient)s (people notified: %(count)d)",
                 step=step_label(rung.step_key), recipient=RECIPIENT_LABELS[rung.recipient],
                 count=notified)


def fire(session: Session, due: list[Due], now: datetime | None = None) -> int:
    """Record each due step in the ledger and notify its recipients, once. A step another
    process recorded first is skipped."""
    now = now or utcnow()
    recipients = _Recipients(session)
    fired = 0
    for item in due:
        complaint = session.get(Complaint, item.complaint_id)
        if complaint is None or complaint.cycle != item.cycle:
            continue
        subject, body = _message(complaint, item)
        rung = Rung(item.step.key, item.step.clock, item.step.recipient, item.due_at,
                    subject, body)
        if record_rung(session, complaint, rung, set(recipients.of(complaint, rung.recipient)),
                       now) is None:  # recorded already, by another runner or an earlier run
            log.info("step %s of complaint %s fired elsewhere", item.step.key, complaint.id)
            continue
        fired += 1
    return fired


def recipients_of(session: Session, complaint: Complaint, recipient: str) -> list[int]:
    """Who a rung to `recipient` ("handler", "supervisor", "manager") notifies."""
    return _Recipients(session).of(complaint, recipient)


def escalate(session: Session, now: datetime | None = None) -> int:
    """The scheduled job: fire every due step of the ladder; the number fired."""
    now = now or utcnow()
    return fire(session, due_steps(session, now), now)
