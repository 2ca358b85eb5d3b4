"""Freezing a period in the background (evidence/audit/freezing.py): asked for at once,
frozen by the scheduler in one transaction as the person who asked; a failure leaves no
half-frozen period, and a freeze whose runner died does not hold its days."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from aftersales import scheduler
from aftersales.core.audit import Actor
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict
from aftersales.core.models import AuditEntry
from aftersales.evidence.audit import background, freezing, periods
from aftersales.evidence.models import AuditPeriod, FreezeRequest, FrozenRecord
from aftersales.extensions import db
from tests.evidence.factories import days_ago
from tests.evidence.package_factories import tickets_in_two_outlets
from tests.factories import make_user


@pytest.fixture
def manager():
    user = make_user("manager")
    return Actor(user.id, user.username)


def ask(actor, first=30, last=1, seed=7) -> FreezeRequest:
    request = freezing.request_freeze(db.session, actor, days_ago(first), days_ago(last),
                                      Decimal("0.1"), seed)
    db.session.commit()
    return request


def run_the_job(app):
    job = next(job for job in scheduler.REGISTRY if job.id == "evidence.freeze_periods")
    scheduler.run_job(app, job, "host-a:1")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_scheduler_freezes_the_period_asked_for(app, manager):
    tickets_in_two_outlets(4)
    request_id = ask(manager).id
    run_the_job(app)
    request = db.session.get(FreezeRequest, request_id)
    period = db.session.get(AuditPeriod, request.period_id)
    assert request.status == "done" and request.finished_at is not None
    assert (period.first_day, period.last_day, period.sample_seed) == (
        days_ago(30), days_ago(1), 7)


def test_the_period_is_frozen_as_the_person_who_asked(app, manager):
    ask(manager)
    run_the_job(app)
    period = db.session.scalar(select(AuditPeriod))
    assert (period.frozen_by_id, period.frozen_by_label) == (manager.id, manager.label)
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.record_type == "evidence_audit_periods"))
    assert (entry.actor_id, entry.actor_label) == (manager.id, manager.label)


def test_a_freeze_that_fails_leaves_no_half_frozen_period(app, manager, monkeypatch):
    tickets_in_two_outlets(4)
    request_id = ask(manager).id

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(periods, "_freeze_rows", broken)
    run_the_job(app)
    request = db.session.get(FreezeRequest, request_id)
    assert (request.status, request.error) == ("failed", "RuntimeError: disk full")
    assert (count(AuditPeriod), count(FrozenRecord)) == (0, 0)


def test_a_period_frozen_meanwhile_fails_the_request_saying_so(app, manager):
    request_id = ask(manager).id
    periods.freeze(db.session, manager, days_ago(30), days_ago(1), seed=7)
    db.session.commit()
    run_the_job(app)
    request = db.session.get(FreezeRequest, request_id)
    assert request.status == "failed" and request.error
    assert count(AuditPeriod) == 1


def test_the_days_may_be_asked_for_again_after_a_failure(app, manager, monkeypatch):
    ask(manager)
    monkeypatch.setattr(periods, "_freeze_rows", lambda *a, **k: 1 / 0)
    run_the_job(app)
    monkeypatch.undo()
    ask(manager)
    run_the_job(app)
    assert count(AuditPeriod) == 1


def test_days_being_frozen_are_not_asked_for_twice(app, manager):
    ask(manager)
    with pytest.raises(Conflict):
        ask(manager)


def test_a_freeze_whose_runner_died_is_failed_and_the_days_freed(app, manager):
    request = ask(manager)
    background.start(db.session, request)
    db.session.commit()
    silent = utcnow() + background.ABANDONED_AFTER + timedelta(seconds=1)
    assert freezing.fail_abandoned(db.session, silent) == 1
    db.session.commit()
    assert request.status == "failed"
    assert ask(manager).status == "queued"


def test_a_freeze_still_beating_holds_its_days(app, manager):
    request = ask(manager)
    background.start(db.session, request)
    db.session.commit()
    assert freezing.fail_abandoned(db.session, utcnow() + timedelta(seconds=30)) == 0
    with pytest.raises(Conflict):
        ask(manager)


def test_failures_older_than_a_week_leave_the_page(app, manager):
    request = ask(manager)
    request.status, request.error = "failed", "RuntimeError: disk full"
    db.session.commit()
    assert freezing.showing(db.session) == [request]
    assert freezing.showing(db.session, utcnow() + timedelta(days=8)) == []
