import pytest
from sqlalchemy import select

from aftersales.core import services as core_services
from aftersales.core.mail import SmtpSettings
from aftersales.extensions import db
from aftersales.notifications.models import Notification
from aftersales.notifications.services import mark_read, notify, unread_count
from tests.factories import make_user


def _notify(user_ids, key="complaint:1:step:breach", link=None):
    created = notify(db.session, user_ids=user_ids, subject="投诉 C-1 已超时",
                     body="请立即处理", link=link, dedupe_key=key)
    db.session.commit()
    return created


def _rows():
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def test_a_repeated_event_notifies_each_user_once():
    first, second = make_user("manager"), make_user("complaint_handler")
    assert _notify([first.id, second.id]) == 2
    assert _notify([first.id, second.id]) == 0
    assert len(_rows()) == 2


def test_another_event_notifies_again():
    user = make_user("manager")
    _notify([user.id], key="complaint:1:step:75")
    _notify([user.id], key="complaint:1:step:breach")
    assert [row.dedupe_key for row in _rows()] == ["complaint:1:step:75", "complaint:1:step:breach"]


def test_a_disabled_user_is_not_notified():
    user = make_user("manager")
    core_services.set_enabled(db.session, user, False)
    db.session.commit()
    assert _notify([user.id]) == 0


def test_without_smtp_no_email_is_queued():
    user = make_user("manager")
    user.email = "li.jing@example.com"
    _notify([user.id])
    assert _rows()[0].email_state == "none"


def test_with_smtp_an_email_is_queued_only_for_users_with_an_address(settings_changed):
    with_address, without = make_user("manager"), make_user("manager")
    with_address.email = "li.jing@example.com"
    settings_changed("notifications", smtp=SmtpSettings("mail.example.com", 25, "a@localhost"))
    _notify([with_address.id, without.id])
    states = {row.user_id: (row.email_state, row.email_to) for row in _rows()}
    assert states == {with_address.id: ("pending", "li.jing@example.com"),
                      without.id: ("none", None)}


@pytest.mark.parametrize("link", ["https://evil.example.com/", "//evil.example.com/x", "tickets/1"])
def test_a_link_must_stay_inside_the_site(link):
    user = make_user("manager")
    with pytest.raises(ValueError):
        _notify([user.id], link=link)


def test_marking_read_touches_only_the_users_own_notifications():
    mine, theirs = make_user("manager"), make_user("manager")
    _notify([mine.id, theirs.id])
    other_id = next(row.id for row in _rows() if row.user_id == theirs.id)
    assert mark_read(db.session, mine.id, [other_id]) == 0
    assert mark_read(db.session, mine.id, None) == 1
    db.session.commit()
    assert (unread_count(db.session, mine.id), unread_count(db.session, theirs.id)) == (0, 1)
