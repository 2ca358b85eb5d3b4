"""The escalation ladder: each step fires once and notifies once, whatever runs it."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales import scheduler
from aftersales.complaints import jobs, services
from aftersales.complaints.models import ComplaintEscalation
from aftersales.core.clock import utcnow
from aftersales.extensions import db
from aftersales.notifications import jobs as notification_jobs
from aftersales.notifications.models import Notification
from tests.complaints.factories import T0, hours, make_complaint
from tests.factories import make_outlet, make_user


def _people():
    handler = make_user("complaint_handler")
    outlet = make_outlet()
    supervisor = make_user("manager", outlet_id=outlet.id)
    manager = make_user("manager")
    return handler, supervisor, manager, outlet


def _fired(complaint_id=None):
    stmt = select(ComplaintEscalation.step_key).order_by(ComplaintEscalation.id)
    if complaint_id is not None:
        stmt = stmt.where(ComplaintEscalation.complaint_id == complaint_id)
    return list(db.session.scalars(stmt))


def _notified(user):
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id)
    )


def _run(at):
    fired = jobs.escalate(db.session, now=at)
    db.session.commit()
    return fired


def test_nothing_fires_before_75_percent_of_the_response_time():
    handler, *_ = _people()
    make_complaint(handler_id=handler.id)
    assert _run(T0 + hours(17.9)) == 0
    assert _fired() == []


def test_crossing_75_percent_notifies_the_handler_once():
    handler, supervisor, manager, outlet = _people()
    complaint = make_complaint(handler_id=handler.id, outlet_id=outlet.id)
    assert _run(T0 + hours(18)) == 1
    assert _fired() == ["response_75"]
    assert (_notified(handler), _notified(supervisor), _notified(manager)) == (1, 0, 0)
    entry = db.session.scalar(select(ComplaintEscalation))
    assert (entry.complaint_id, entry.due_at, entry.notified) == (complaint.id, T0 + hours(18), 1)


def test_the_breach_goes_to_the_outlets_supervisor_and_a_day_later_to_the_manager():
    handler, supervisor, manager, outlet = _people()
    make_complaint(handler_id=handler.id, outlet_id=outlet.id)
    _run(T0 + hours(24))
    assert _fired() == ["response_75", "response_breach"]
    assert (_notified(supervisor), _notified(manager)) == (1, 0)
    _run(T0 + hours(48))
    assert _fired() == ["response_75", "response_breach", "response_breach_24h"]
    assert _notified(manager) == 1


def test_running_the_ladder_again_fires_nothing_new():
    handler, supervisor, manager, outlet = _people()
    make_complaint(handler_id=handler.id, outlet_id=outlet.id)
    for minutes in (0, 1, 2, 60):
        _run(T0 + hours(24) + timedelta(minutes=minutes))
    assert _fired() == ["response_75", "response_breach"]
    assert (_notified(handler), _notified(supervisor)) == (1, 1)


def test_a_responded_complaint_does_not_escalate_its_response():
    handler, *_ = _people()
    complaint = make_complaint(handler_id=handler.id)
    services.acknowledge(db.session, complaint, handler, "已致歉", now=T0 + hours(2))
    db.session.commit()
    assert _run(T0 + hours(30)) == 0


def test_a_pause_delays_each_step_by_the_paused_time():
    handler, *_ = _people()
    complaint = make_complaint(handler_id=handler.id)
    services.pause(db.session, complaint, handler, "等客户回电", now=T0 + hours(10))
    db.session.commit()
    assert _run(T0 + hours(40)) == 0  # paused: the clock stands still
    services.resume(db.session, complaint, handler, now=T0 + hours(13))
    db.session.commit()
    assert _run(T0 + hours(20.99)) == 0
    assert _run(T0 + hours(21)) == 1


def test_a_reopened_complaint_climbs_the_ladder_again_in_its_new_cycle():
    handler, *_ = _people()
    complaint = make_complaint(handler_id=handler.id)
    _run(T0 + hours(18))
    services.acknowledge(db.session, complaint, handler, "已致歉", now=T0 + hours(19))
    services.resolve(db.session, complaint, handler, services.Resolution("换机", "批次缺陷"),
                     now=T0 + hours(20))
    services.reopen(db.session, complaint, handler, "客户不满意", now=T0 + hours(21))
    db.session.commit()
    _run(T0 + hours(21 + 18))
    rows = db.session.execute(select(ComplaintEscalation.cycle, ComplaintEscalation.step_key)
                              .order_by(ComplaintEscalation.id)).all()
    assert [tuple(r) for r in rows] == [(1, "response_75"), (2, "response_75")]
    assert _notified(handler) == 2


def test_two_runners_that_both_saw_a_step_due_fire_it_once(app):
    """Two sessions (as two scheduler processes would) compute the same due step; the
    first records it, the ledger's unique key turns the second away without notifying."""
    handler, *_ = _people()
    make_complaint(handler_id=handler.id)
    other = Session(bind=db.engine)
    try:
        seen_here = jobs.due_steps(db.session, T0 + hours(18))
        seen_there = jobs.due_steps(other, T0 + hours(18))
        assert len(seen_here) == len(seen_there) == 1
        assert jobs.fire(db.session, seen_here, T0 + hours(18)) == 1
        db.session.commit()
        assert jobs.fire(other, seen_there, T0 + hours(18)) == 0
        other.commit()
    finally:
        other.close()
    assert _fired() == ["response_75"]
    assert _notified(handler) == 1


def test_only_the_lease_holder_runs_the_ladder_and_a_restart_repeats_nothing(app):
    handler, *_ = _people()
    # Received 19 hours ago: 75 % of its 24 hours have run, the breach is 5 hours away.
    make_complaint(handler_id=handler.id, now=utcnow() - hours(19))
    job = next(job for job in scheduler.REGISTRY if job.id == "complaints.escalate")
    assert scheduler.run_job(app, job, "host-a:1")
    assert not scheduler.run_job(app, job, "host-b:2")  # a second process: no lease
    scheduler.release_lease(db.session, "host-a:1")  # host-a restarts ...
    assert scheduler.run_job(app, job, "host-a:3")  # ... and runs again as a new holder
    assert _fired() == ["response_75"]
    assert _notified(handler) == 1


@pytest.mark.usefixtures("smtp_server")
def test_the_escalation_email_reaches_the_smtp_server_once(smtp_server):
    handler, *_ = _people()
    handler.email = "sun.li@example.com"
    db.session.commit()
    complaint = make_complaint(handler_id=handler.id)
    _run(T0 + hours(18))
    _run(T0 + hours(18.5))
    assert notification_jobs.send_emails(db.session) == 1
    assert notification_jobs.send_emails(db.session) == 0
    [message] = smtp_server.messages
    assert message["To"] == "sun.li@example.com"
    assert complaint.number in message["Subject"]


def test_a_runner_that_dies_before_committing_leaves_the_step_to_the_next_one():
    handler, *_ = _people()
    make_complaint(handler_id=handler.id)
    assert jobs.escalate(db.session, now=T0 + hours(18)) == 1
    db.session.rollback()  # the process died mid-way: nothing it did is kept
    assert _fired() == [] and _notified(handler) == 0
    assert _run(T0 + hours(18)) == 1  # the restarted runner fires it, once
    assert _run(T0 + hours(19)) == 0
    assert _notified(handler) == 1


def test_two_runners_racing_on_postgresql_fire_each_step_once(app):
    """Two threads, each with its own connection, compute the same due steps and insert
    at the same moment; PostgreSQL's unique index makes the slower one skip."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (AFTERSALES_TEST_DATABASE_URL)")
    handler, supervisor, manager, outlet = _people()
    for _ in range(5):
        make_complaint(handler_id=handler.id, outlet_id=outlet.id)
    at = T0 + hours(24)
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def runner():
        with app.app_context():
            session = Session(bind=db.engine)
            try:
                due = jobs.due_steps(session, at)
                barrier.wait(timeout=10)
                counts.append(jobs.fire(session, due, at))
                session.commit()
            except Exception as error:  # reported below, not swallowed
                errors.append(error)
            finally:
                session.close()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sum(counts) == 10  # 5 complaints x (75 % + breach), whoever fired them
    assert len(_fired()) == 10
    assert (_notified(handler), _notified(supervisor)) == (5, 5)

