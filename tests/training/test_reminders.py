"""Certificate expiry reminders: 90, 30 and 7 days ahead, to the holder and their
manager, each exactly once."""

from datetime import timedelta

from sqlalchemy import select

from aftersales.extensions import db
from aftersales.notifications.models import Notification
from aftersales.scheduler import REGISTRY
from aftersales.training.jobs import remind_expiring_certificates, stage
from tests.factories import make_user
from tests.training.factories import TODAY, make_certificate, make_staff


def notes():
    db.session.expire_all()
    return [(n.user_id, n.dedupe_key) for n in
            db.session.scalars(select(Notification).order_by(Notification.id))]


def holder_and_manager():
    boss_user, holder_user = make_user("manager"), make_user("technician")
    boss = make_staff("service_manager", user_id=boss_user.id)
    holder = make_staff(user_id=holder_user.id, manager_id=boss.id)
    return holder, holder_user, boss_user


def run(day) -> int:
    """How many notifications the run added (counted, not notify's rowcount, which
    PostgreSQL does not report for this insert)."""
    before = len(notes())
    remind_expiring_certificates(db.session, day)
    db.session.commit()
    return len(notes()) - before


def test_the_stages():
    assert [stage(d) for d in (91, 90, 31, 30, 8, 7, 0, -1)] == [
        None, 90, 90, 30, 30, 7, 7, None]


def test_holder_and_manager_are_reminded_at_90_30_and_7_days_each_once():
    holder, holder_user, boss_user = holder_and_manager()
    certificate = make_certificate(holder, expires_on=TODAY + timedelta(days=90))
    assert run(TODAY - timedelta(days=1)) == 0  # 91 days ahead: nothing yet
    assert run(TODAY) == 2
    assert run(TODAY) == 0  # the same day again
    assert run(TODAY + timedelta(days=10)) == 0  # still the 90-day stage
    assert run(TODAY + timedelta(days=60)) == 2  # 30 days left
    assert run(TODAY + timedelta(days=83)) == 2  # 7 days left
    assert run(TODAY + timedelta(days=90)) == 0  # the last day: the 7-day one was sent
    assert run(TODAY + timedelta(days=91)) == 0  # expired: no more
    key = f"certificate:{certificate.id}:expiry"
    assert notes() == [
        (holder_user.id, f"{key}:90"), (boss_user.id, f"{key}:90"),
        (holder_user.id, f"{key}:30"), (boss_user.id, f"{key}:30"),
        (holder_user.id, f"{key}:7"), (boss_user.id, f"{key}:7"),
    ]


def test_a_missed_day_is_caught_up_with_the_stage_reached():
    holder, holder_user, _boss = holder_and_manager()
    certificate = make_certificate(holder, expires_on=TODAY + timedelta(days=20))
    run(TODAY)
    assert [key for user, key in notes() if user == holder_user.id] == [
        f"certificate:{certificate.id}:expiry:30"]


def test_a_holder_without_a_login_still_reaches_the_manager():
    boss_user = make_user("manager")
    boss = make_staff("service_manager", user_id=boss_user.id)
    make_certificate(make_staff(manager_id=boss.id), expires_on=TODAY + timedelta(days=5))
    assert run(TODAY) == 1
    assert notes()[0][0] == boss_user.id


def test_leavers_and_certificates_without_expiry_are_not_reminded():
    holder, _user, _boss = holder_and_manager()
    make_certificate(holder, expires_on=None)
    leaver_user = make_user("technician")
    make_certificate(make_staff(user_id=leaver_user.id, is_active=False),
                     expires_on=TODAY + timedelta(days=5))
    assert run(TODAY) == 0


def test_the_reminder_is_in_chinese_and_links_the_manager_to_the_record():
    holder, _user, boss_user = holder_and_manager()
    make_certificate(holder, "refrigeration", expires_on=TODAY + timedelta(days=7))
    run(TODAY)
    note = db.session.scalar(select(Notification).where(Notification.user_id == boss_user.id))
    assert "制冷作业证" in note.subject and "7" in note.body
    assert note.link == f"/training/staff/{holder.id}"


def test_the_job_is_registered():
    assert "training.certificate_reminders" in {job.id for job in REGISTRY}


def test_a_renewed_certificate_is_not_reminded():
    holder, _user, _boss = holder_and_manager()
    make_certificate(holder, type="electrician", expires_on=TODAY + timedelta(days=5))
    make_certificate(holder, type="electrician", expires_on=TODAY + timedelta(days=3 * 365))
    assert run(TODAY) == 0
