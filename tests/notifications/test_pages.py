"""The inbox page: everything, or only what is unread."""

from aftersales.extensions import db
from aftersales.notifications import services
from tests.factories import make_user


def _notify(user, subject: str) -> int:
    services.notify(db.session, user_ids=[user.id], subject=subject, body="", link=None,
                    dedupe_key=subject)
    db.session.commit()
    return services.list_for(db.session, user.id, True, None, 1).items[0].id


def test_the_inbox_shows_only_the_unread_ones_when_asked(client, sign_in):
    user = make_user("manager", username="lijing")
    services.mark_read(db.session, user.id, [_notify(user, "已读的通知")])
    _notify(user, "未读的通知")
    db.session.commit()
    sign_in("lijing")
    unread = client.get("/notifications?show=unread").get_data(as_text=True)
    assert "未读的通知" in unread and "已读的通知" not in unread
    for address in ("/notifications", "/notifications?show=whatever"):
        everything = client.get(address).get_data(as_text=True)
        assert "未读的通知" in everything and "已读的通知" in everything
