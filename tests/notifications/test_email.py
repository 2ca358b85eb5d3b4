from sqlalchemy import select

from aftersales.core.mail import SmtpSettings
from aftersales.extensions import db
from aftersales.notifications import jobs
from aftersales.notifications.models import Notification
from aftersales.notifications.services import MAX_EMAIL_ATTEMPTS, notify
from tests.conftest import _free_port
from tests.factories import make_user


def _unreachable() -> SmtpSettings:
    return SmtpSettings("127.0.0.1", _free_port(), "aftersales@localhost")


def _queue_one(subject="投诉 C-7 24 小时未响应"):
    user = make_user("manager")
    user.email = "li.jing@example.com"
    notify(db.session, user_ids=[user.id], subject=subject, body="请查看投诉 C-7。",
           link="/complaints/7", dedupe_key="complaint:7:step:breach")
    db.session.commit()


def _state():
    row = db.session.scalar(select(Notification))
    return row.email_state, row.email_attempts


def test_a_queued_email_arrives_once_however_often_the_job_runs(smtp_server):
    _queue_one()
    assert jobs.send_emails(db.session) == 1
    assert jobs.send_emails(db.session) == 0
    [message] = smtp_server.messages
    assert (message["To"], message["Subject"]) == ("li.jing@example.com", "投诉 C-7 24 小时未响应")
    assert "请查看投诉 C-7。" in message.get_content()
    assert _state() == ("sent", 0)


def test_an_unreachable_server_counts_an_attempt_and_keeps_the_email_queued(settings_changed):
    settings_changed("notifications", smtp=_unreachable())
    _queue_one()
    jobs.send_emails(db.session)
    assert _state() == ("pending", 1)


def test_an_email_gives_up_after_the_last_attempt(settings_changed):
    settings_changed("notifications", smtp=_unreachable())
    _queue_one()
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):
        jobs.send_emails(db.session)
    assert _state() == ("failed", MAX_EMAIL_ATTEMPTS)
