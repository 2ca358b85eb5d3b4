"""The scheduled-work registry and the `aftersales scheduler` process.

Jobs run in their own process, never inside web workers. Several scheduler processes
may run for fail-over; only the holder of the database lease acts. The lease is a row
claimed with one conditional UPDATE (or INSERT for the very first claim), so it works
the same on SQLite and PostgreSQL and survives restarts: a dead holder's lease expires.
Every job computes what is due from stored times, so a repeat run changes nothing.
"""

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from aftersales.calendar import jobs as calendar_jobs
from aftersales.complaints import jobs as complaint_jobs
from aftersales.core import jobs as core_jobs
from aftersales.core import settings
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.models import SchedulerLease
from aftersales.core.sql import insert_unless_present
from aftersales.customers import jobs as customer_jobs
from aftersales.evidence import jobs as evidence_jobs
from aftersales.extensions import db
from aftersales.messaging import jobs as messaging_jobs
from aftersales.notifications import jobs as notification_jobs
from aftersales.tickets import jobs as ticket_jobs
from aftersales.training import jobs as training_jobs
from aftersales.visits import jobs as visit_jobs

LEASE_NAME = "scheduler"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[Session], object]
    trigger: BaseTrigger


REGISTRY: tuple[Job, ...] = (
    Job(
        "core.audit_chain_check",
        core_jobs.check_audit_chain,
        CronTrigger(hour=2, minute=30, timezone=DEFAULT_ZONE),
    ),
    Job("core.sweep_rate_windows", core_jobs.sweep_rate_windows, IntervalTrigger(hours=1)),
    Job("customers.sweep_codes", customer_jobs.sweep_codes, IntervalTrigger(hours=1)),
    Job("notifications.send_emails", notification_jobs.send_emails, IntervalTrigger(minutes=1)),
    Job("messaging.deliver", messaging_jobs.deliver, IntervalTrigger(seconds=30)),
    Job("complaints.escalate", complaint_jobs.escalate, IntervalTrigger(minutes=1)),
    # Every clause recomputed each night into a full snapshot (the trend's points) ...
    Job(
        "evidence.daily_snapshot",
        evidence_jobs.daily_snapshot,
        CronTrigger(hour=1, minute=15, timezone=DEFAULT_ZONE),
    ),
    # ... and the clauses whose records changed, soon after they change.
    Job("evidence.refresh_stale", evidence_jobs.refresh_stale, IntervalTrigger(minutes=10)),
    # Audit periods asked to be frozen (minutes at full size), frozen soon after the request.
    Job("evidence.freeze_periods", evidence_jobs.freeze_periods, IntervalTrigger(seconds=15)),
    # Audit packages asked for on the dashboard, built soon after the request.
    Job("evidence.build_packages", evidence_jobs.build_packages, IntervalTrigger(seconds=15)),
    Job("tickets.mark_missed_arrivals", ticket_jobs.mark_missed_arrivals,
        IntervalTrigger(minutes=5)),
    # Satisfaction surveys to a share of the work orders closed since (SMS by day only).
    Job("visits.send_surveys", visit_jobs.send_surveys,
        CronTrigger(hour="9-20", minute=5, timezone=DEFAULT_ZONE)),
    Job(
        "training.certificate_reminders",
        training_jobs.remind_expiring_certificates,
        CronTrigger(hour=8, minute=0, timezone=DEFAULT_ZONE),
    ),
    # Daily, notifying once a week while a year clocks count on has no holiday schedule.
    Job(
        "calendar.remind_missing_schedule",
        calendar_jobs.remind_missing_schedule,
        CronTrigger(hour=9, minute=0, timezone=DEFAULT_ZONE),
    ),
)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim_lease(session: Session, holder: str, ttl: timedelta) -> bool:
    """Take or renew the lease; True if `holder` holds it afterwards. Commits."""
    now = utcnow()
    renewed = session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME)
        .where((SchedulerLease.holder == holder) | (SchedulerLease.expires_at < now))
        .values(holder=holder, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    if renewed.rowcount == 1:
        session.commit()
        return True
    taken = session.execute(
        insert_unless_present(session, SchedulerLease, "name")
        .values(name=LEASE_NAME, holder=holder, expires_at=now + ttl)
        .returning(SchedulerLease.name)
    ).first()
    session.commit()
    return taken is not None  # else someone else holds a live lease


def release_lease(session: Session, holder: str) -> None:
    session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(expires_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()


def run_job(app: Flask, job: Job, holder: str) -> bool:
    """Run one job if this process holds the lease; True if it ran. One transaction."""
    with app.app_context():
        if not claim_lease(db.session, holder, settings.platform().scheduler_lease):
            log.info("job %s skipped: another scheduler holds the lease", job.id)
            return False
        try:
            job.func(db.session)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", job.id)
            raise
        finally:
            db.session.remove()
    return True


def serve(app: Flask) -> None:
    """Block, running the registry; renew the lease well before it expires."""
    holder = holder_name()
    with app.app_context():
        ttl = settings.platform().scheduler_lease
    scheduler = BlockingScheduler(timezone=DEFAULT_ZONE)

    def heartbeat() -> None:
        with app.app_context():
            held = claim_lease(db.session, holder, ttl)
            db.session.remove()
        log.debug("lease %s by %s", "held" if held else "not held", holder)

    scheduler.add_job(
        heartbeat, IntervalTrigger(seconds=max(int(ttl.total_seconds()) // 3, 1)),
        id="scheduler.lease",
        next_run_time=utcnow(),
    )
    for job in REGISTRY:
        scheduler.add_job(
            run_job, job.trigger, args=(app, job, holder), id=job.id,
            coalesce=True, max_instances=1, misfire_grace_time=3600, replace_existing=True,
        )
    log.info("scheduler %s started with jobs: %s", holder, ", ".join(j.id for j in REGISTRY))
    try:
        scheduler.start()
    finally:
        with app.app_context():
            release_lease(db.session, holder)
