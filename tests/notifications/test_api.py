from sqlalchemy import select

from aftersales.extensions import db
from aftersales.notifications.models import Notification
from aftersales.notifications.services import notify
from tests.conftest import csrf_from
from tests.factories import bearer, make_token, make_user


def _notice(user, key, link=None):
    notify(db.session, user_ids=[user.id], subject=f"事件 {key}", body="正文", link=link,
           dedupe_key=key)
    db.session.commit()


def test_the_api_lists_only_the_callers_notifications(client):
    mine, theirs = make_user("manager"), make_user("manager")
    _notice(mine, "a")
    _notice(theirs, "b")
    response = client.get("/api/v1/notifications", headers=bearer(make_token(mine)))
    assert [item["subject"] for item in response.json["items"]] == ["事件 a"]


def test_the_api_marks_notifications_read(client):
    user = make_user("manager")
    _notice(user, "a")
    _notice(user, "b")
    headers = bearer(make_token(user))
    assert client.post("/api/v1/notifications/read", json={"all": True},
                       headers=headers).json == {"marked": 2}
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).json
    assert unread["items"] == []


def test_asking_for_both_ids_and_all_is_refused_with_the_field(client):
    user = make_user("manager")
    response = client.post("/api/v1/notifications/read", json={"ids": [1], "all": True},
                           headers=bearer(make_token(user)))
    assert response.status_code == 422
    assert "ids" in str(response.json)


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, sign_in):
    user = make_user("manager", username="lijing")
    _notice(user, "a", link="/tickets")
    sign_in("lijing")
    assert "事件 a" in client.get("/notifications").get_data(as_text=True)
    notice_id = db.session.scalar(select(Notification.id))
    response = client.post(f"/notifications/{notice_id}/open",
                           data={"csrf_token": csrf_from(client, "/notifications")})
    assert response.headers["Location"] == "/tickets"
    assert 'class="badge"' not in client.get("/notifications").get_data(as_text=True)


def test_nobody_opens_someone_elses_notification(client, sign_in):
    make_user("manager", username="lijing")
    other = make_user("manager")
    _notice(other, "a")
    sign_in("lijing")
    notice_id = db.session.scalar(select(Notification.id))
    assert client.post(f"/notifications/{notice_id}/open",
                       data={"csrf_token": csrf_from(client, "/notifications")}).status_code == 404
