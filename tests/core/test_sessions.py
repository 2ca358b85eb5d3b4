"""Sessions end on the server: signing out kills a copied cookie, a password change or a
disabled account ends every session and revokes every token; a user ends their own
sessions; a read-only token changes nothing."""


from sqlalchemy import select

from aftersales.core import services
from aftersales.core.models import ApiToken, UserSession
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import bearer, make_token, make_user


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie_value, path="/api/v1/me"):
    """Another client (an attacker's) sending a copy of the cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie_value)
    return other.get(path)


def test_a_copied_cookie_works_until_sign_out_then_answers_401(app, client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    copied = session_cookie(client)
    assert replay(app, copied).status_code == 200
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    assert replay(app, copied).status_code == 401
    ended = db.session.scalar(select(UserSession))
    assert ended.ended_reason == "sign_out"


def test_a_copied_cookie_cannot_mint_a_token_after_sign_out(app, client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    copied = session_cookie(client)
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    other = app.test_client()
    other.set_cookie("session", copied)
    response = other.post("/api/v1/tokens", json={"name": "stolen"})
    assert response.status_code == 401
    assert db.session.scalar(select(ApiToken)) is None


def test_a_password_change_ends_every_session_and_revokes_every_token(app, client, sign_in):
    user = make_user("agent", username="zhangmin")
    secret = make_token(user)
    sign_in("zhangmin")
    copied = session_cookie(client)
    services.set_password(db.session, user, "a-brand-new-password")
    db.session.commit()
    assert replay(app, copied).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_disabling_an_account_ends_its_sessions(app, client, sign_in):
    user = make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    copied = session_cookie(client)
    services.set_enabled(db.session, user, False)
    db.session.commit()
    assert replay(app, copied).status_code == 401


def test_a_user_lists_and_ends_their_own_other_session(app, client, sign_in):
    make_user("agent", username="zhangmin")
    phone = app.test_client()
    phone.post("/login", data={"username": "zhangmin", "password": "correct-horse-9",
                               "csrf_token": csrf_from(phone)})
    sign_in("zhangmin")
    headers = {"X-CSRFToken": csrf_from(client, "/account/tokens")}
    listed = client.get("/api/v1/sessions").json
    assert len(listed) == 2
    phone_session = min(item["id"] for item in listed)
    assert client.delete(f"/api/v1/sessions/{phone_session}", headers=headers).status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").status_code == 200


def test_a_user_may_not_end_someone_elses_session(app, client, sign_in):
    make_user("agent", username="other")
    stranger = app.test_client()
    stranger.post("/login", data={"username": "other", "password": "correct-horse-9",
                                  "csrf_token": csrf_from(stranger)})
    theirs = db.session.scalar(select(UserSession.id))
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    headers = {"X-CSRFToken": csrf_from(client, "/account/tokens")}
    assert client.delete(f"/api/v1/sessions/{theirs}", headers=headers).status_code == 404
    assert stranger.get("/api/v1/me").status_code == 200


def test_a_read_only_token_reads_and_is_refused_a_change(client):
    user = make_user("manager")
    _token, secret = services.create_token(db.session, user, "dashboard", 30, read_only=True)
    db.session.commit()
    assert client.get("/api/v1/meetings", headers=bearer(secret)).status_code == 200
    response = client.post("/api/v1/tokens", json={"name": "x"}, headers=bearer(secret))
    assert response.status_code == 403


def test_a_token_is_created_read_only_through_the_api(client):
    headers = bearer(make_token(make_user("agent")))
    response = client.post("/api/v1/tokens", json={"name": "报表", "read_only": True,
                                                    "expires_in_days": 7}, headers=headers)
    assert response.status_code == 201 and response.json["read_only"] is True


def test_the_cookie_holds_no_session_key_in_clear_on_the_server():
    user = make_user("agent")
    key = services.start_session(db.session, user, "phone", "10.0.0.1")
    stored = db.session.scalar(select(UserSession))
    assert key not in stored.key_hash and len(stored.key_hash) == 64
