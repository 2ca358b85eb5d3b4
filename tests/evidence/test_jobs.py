from sqlalchemy import func, select

from aftersales import scheduler
from aftersales.evidence.models import Snapshot
from aftersales.extensions import db
from tests.evidence.factories import make_action


def jobs() -> dict:
    return {job.id: job for job in scheduler.REGISTRY}


def snapshots() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Snapshot))


def test_the_nightly_job_stores_one_full_snapshot_a_day(app):
    job = jobs()["evidence.daily_snapshot"]
    assert scheduler.run_job(app, job, "host-a:1")
    assert scheduler.run_job(app, job, "host-a:1")
    assert snapshots() == 1


def test_the_refresh_job_recomputes_only_after_a_change(app):
    refresh = jobs()["evidence.refresh_stale"]
    scheduler.run_job(app, refresh, "host-a:1")  # none yet: a full one
    scheduler.run_job(app, refresh, "host-a:1")  # nothing changed
    assert snapshots() == 1
    make_action(due_days_ago=2, done_days_ago=3)
    scheduler.run_job(app, refresh, "host-a:1")
    assert snapshots() == 2
