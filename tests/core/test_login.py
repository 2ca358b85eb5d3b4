from datetime import timedelta

from aftersales.core import services
from aftersales.core.clock import utcnow
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import make_user


def post_login(client, username, password, next_path=None):
    url = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(
        url,
        data={"username": username, "password": password, "csrf_token": csrf_from(client)},
    )


def test_the_right_password_signs_in_and_goes_home(client):
    make_user("agent", username="zhangmin")
    response = post_login(client, "zhangmin", "correct-horse-9")
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_a_wrong_password_is_refused_with_401(client):
    make_user("agent", username="zhangmin")
    response = post_login(client, "zhangmin", "nope-nope-nope")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = post_login(client, "nobody", "nope-nope-nope")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = make_user("agent", username="zhangmin")
    for _ in range(5):
        post_login(client, "zhangmin", "nope-nope-nope")
    response = post_login(client, "zhangmin", "correct-horse-9")
    assert response.status_code == 401
    assert "锁定" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.locked_until > utcnow()


def test_the_lock_lifts_when_its_time_has_passed(client):
    user = make_user("agent", username="zhangmin")
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert post_login(client, "zhangmin", "correct-horse-9").status_code == 302


def test_a_disabled_user_cannot_sign_in(client):
    user = make_user("agent", username="zhangmin")
    services.set_enabled(db.session, user, False)
    db.session.commit()
    assert post_login(client, "zhangmin", "correct-horse-9").status_code == 401


def test_a_login_without_the_csrf_token_is_refused(client):
    make_user("agent", username="zhangmin")
    response = client.post("/login", data={"username": "zhangmin", "password": "correct-horse-9"})
    assert response.status_code == 400


def test_next_may_only_point_inside_this_site(client):
    make_user("agent", username="zhangmin")
    response = post_login(client, "zhangmin", "correct-horse-9", next_path="//evil.example/x")
    assert response.headers["Location"] == "/"


def test_next_inside_this_site_is_followed(client):
    make_user("agent", username="zhangmin")
    response = post_login(client, "zhangmin", "correct-horse-9", next_path="/account/tokens")
    assert response.headers["Location"] == "/account/tokens"


def test_changing_the_password_ends_existing_sessions(client, sign_in):
    user = make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    assert client.get("/").status_code == 200
    services.set_password(db.session, user, "a-brand-new-password")
    db.session.commit()
    assert client.get("/").status_code == 302


def test_the_session_cookie_is_http_only_and_same_site(client):
    make_user("agent", username="zhangmin")
    response = post_login(client, "zhangmin", "correct-horse-9")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_carry_security_headers(client):
    headers = client.get("/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"
