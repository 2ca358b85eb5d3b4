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


def _queued_export():
    from aftersales.evidence.audit import exports
    from tests.evidence.package_factories import MANAGER, freeze, tickets_in_two_outlets

    tickets_in_two_outlets(4)
    export = exports.request_export(db.session, MANAGER, freeze())
    db.session.commit()
    return export.id


def _export(export_id):
    from aftersales.evidence.audit import exports

    db.session.rollback()
    return exports.get(db.session, export_id)


def test_the_package_job_builds_a_queued_export_and_keeps_its_hash(app):
    import hashlib

    from aftersales.evidence.audit import exports

    export_id = _queued_export()
    assert scheduler.run_job(app, jobs()["evidence.build_packages"], "host-a:1")
    export = _export(export_id)
    assert export.status == "done"
    assert export.steps_done == export.steps_total > 0
    content = exports.package_path(export).read_bytes()
    assert hashlib.sha256(content).hexdigest() == export.sha256


def test_a_cancel_stops_a_running_export_and_leaves_no_package(app):
    from aftersales.evidence.audit import background, exports

    export_id = _queued_export()
    export = _export(export_id)
    background.start(db.session, export)
    exports.cancel(db.session, export)
    db.session.commit()
    exports.build(db.session, export)
    export = _export(export_id)
    assert (export.status, export.sha256) == ("cancelled", None)
    assert not exports.package_path(export).exists()


def test_a_queued_export_cancelled_never_runs(app):
    from aftersales.evidence.audit import exports

    export_id = _queued_export()
    exports.cancel(db.session, _export(export_id))
    db.session.commit()
    scheduler.run_job(app, jobs()["evidence.build_packages"], "host-a:1")
    assert _export(export_id).status == "cancelled"


def test_an_export_whose_build_stopped_beating_is_marked_failed(app):
    from datetime import timedelta

    from aftersales.core.clock import utcnow
    from aftersales.evidence.audit import background, exports

    export = _export(_queued_export())
    background.start(db.session, export)
    db.session.commit()
    assert exports.fail_abandoned(db.session, utcnow() + timedelta(minutes=16)) == 1
    assert export.status == "failed"
