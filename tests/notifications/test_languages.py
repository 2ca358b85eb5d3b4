"""A notification reads in its reader's language: stored as message and values, shown in
the inbox, the API and the e-mail in the reader's language; rows stored as text only
read as they were stored."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from aftersales.extensions import db
from aftersales.notifications import jobs
from aftersales.notifications.models import Notification
from aftersales.notifications.services import notify
from tests.factories import bearer, make_token, make_user

# Messages the catalog has long translated, so the stored (Chinese) text differs.
SUBJECT, BODY = "Notifications", "No notifications."


def _english_reader(username="lijing", email=None):
    user = make_user("manager", username=username)
    user.locale, user.email = "en", email
    db.session.commit()
    return user


def _notify(user, subject=None, body=None):
    with force_locale("zh"):  # as the jobs do: what the text beside the message is written in
        notify(db.session, user_ids=[user.id], subject=subject or _l(SUBJECT),
               body=body or _l(BODY), dedupe_key="words")
    db.session.commit()


def test_the_text_kept_beside_the_message_is_the_enterprises_language():
    _notify(_english_reader())
    assert db.session.scalar(select(Notification.body)) != BODY


def test_an_english_reader_reads_the_inbox_in_english(client, sign_in):
    _notify(_english_reader())
    client.get("/lang/en")
    sign_in("lijing")
    assert BODY in client.get("/notifications").get_data(as_text=True)


def _api_items(client, user):
    client.get("/lang/en")
    return client.get("/api/v1/notifications", headers=bearer(make_token(user))).json["items"]


def test_the_api_gives_the_reader_their_language(client):
    reader = _english_reader()
    _notify(reader)
    [item] = _api_items(client, reader)
    assert (item["subject"], item["body"]) == (SUBJECT, BODY)


def test_a_value_that_is_a_message_is_read_in_the_readers_language(client):
    reader = _english_reader()
    _notify(reader, body=_l("History of %(record)s", record=_l("Notifications")))
    [item] = _api_items(client, reader)
    assert item["body"] == "History of Notifications"


def test_an_email_goes_out_in_the_recipients_language(smtp_server):
    _notify(_english_reader(email="li.jing@example.com"))
    jobs.send_emails(db.session)
    [message] = smtp_server.messages
    assert message["Subject"] == SUBJECT and BODY in message.get_content()


def test_a_notification_stored_as_text_only_reads_as_stored(client, sign_in):
    _notify(_english_reader(), subject="投诉 C-7 24 小时未响应", body="请查看投诉 C-7。")
    sign_in("lijing")
    assert "请查看投诉 C-7。" in client.get("/notifications").get_data(as_text=True)
