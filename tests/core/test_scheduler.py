from datetime import timedelta

from aftersales import scheduler
from aftersales.core.models import SchedulerLease
from aftersales.extensions import db

TTL = timedelta(seconds=60)


def test_the_first_scheduler_takes_the_lease():
    assert scheduler.claim_lease(db.session, "host-a:1", TTL)


def test_a_second_scheduler_is_refused_while_the_lease_is_alive():
    scheduler.claim_lease(db.session, "host-a:1", TTL)
    assert not scheduler.claim_lease(db.session, "host-b:2", TTL)


def test_the_holder_renews_its_own_lease():
    scheduler.claim_lease(db.session, "host-a:1", TTL)
    assert scheduler.claim_lease(db.session, "host-a:1", TTL)


def test_an_expired_lease_passes_to_the_next_scheduler():
    scheduler.claim_lease(db.session, "host-a:1", timedelta(seconds=-1))
    assert scheduler.claim_lease(db.session, "host-b:2", TTL)
    assert db.session.get(SchedulerLease, scheduler.LEASE_NAME).holder == "host-b:2"


def test_a_released_lease_is_free_at_once():
    scheduler.claim_lease(db.session, "host-a:1", TTL)
    scheduler.release_lease(db.session, "host-a:1")
    assert scheduler.claim_lease(db.session, "host-b:2", TTL)


def test_a_job_runs_only_in_the_scheduler_holding_the_lease(app):
    runs = []
    job = scheduler.Job("test.count", runs.append, scheduler.REGISTRY[0].trigger)
    scheduler.claim_lease(db.session, "other-host:9", TTL)
    assert not scheduler.run_job(app, job, "this-host:1")
    assert runs == []


def test_a_job_runs_when_this_scheduler_holds_the_lease(app):
    runs = []
    job = scheduler.Job("test.count", runs.append, scheduler.REGISTRY[0].trigger)
    assert scheduler.run_job(app, job, "this-host:1")
    assert len(runs) == 1


def test_job_ids_in_the_registry_are_unique():
    ids = [job.id for job in scheduler.REGISTRY]
    assert len(ids) == len(set(ids))


def test_the_audit_chain_check_job_reports_an_intact_chain():
    from aftersales.core.jobs import check_audit_chain

    assert check_audit_chain(db.session) is True
