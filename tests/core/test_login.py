import re
from datetime import timedelta

from sqlalchemy import select, update

from aftersales.core import services, throttle
from aftersales.core.clock import utcnow
from aftersales.core.models import LoginThrottle
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


def test_five_failures_make_the_username_wait_even_for_the_right_password(client):
    make_user("agent", username="zhangmin")
    for _ in range(5):
        post_login(client, "zhangmin", "nope-nope-nope")
    response = post_login(client, "zhangmin", "correct-horse-9")
    assert response.status_code == 401
    assert "请在" in response.get_data(as_text=True)


def test_an_unknown_username_waits_exactly_like_a_known_one(client):
    make_user("agent", username="zhangmin")
    answers = {}
    for username in ("zhangmin", "nobody"):
        for _ in range(5):
            post_login(client, username, "nope-nope-nope")
        page = post_login(client, username, "nope-nope-nope").get_data(as_text=True)
        answer = re.search(r'role="alert">([^<]*)<', page).group(1)
        answers[username] = re.sub(r"\d\d:\d\d", "HH:MM", answer)  # the minute may turn
    assert answers["zhangmin"] == answers["nobody"]


def test_the_wait_doubles_with_each_further_failure(client):
    policy = throttle.Policy(account_failures=5, address_failures=100,
                             longest_wait=timedelta(minutes=15))
    assert [policy.wait(n, 5) for n in (4, 5, 6, 7)] == [
        None, timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert policy.wait(40, 5) == timedelta(minutes=15)


def test_the_wait_ends_when_its_time_has_passed(client):
    make_user("agent", username="zhangmin")
    for _ in range(5):
        post_login(client, "zhangmin", "nope-nope-nope")
    db.session.execute(update(LoginThrottle).values(blocked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert post_login(client, "zhangmin", "correct-horse-9").status_code == 302
    assert db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.key == "account:zhangmin")) is None


def test_one_address_guessing_many_usernames_is_made_to_wait(client):
    for number in range(20):
        post_login(client, f"guess{number}", "nope-nope-nope")
    make_user("agent", username="zhangmin")
    assert post_login(client, "zhangmin", "correct-horse-9").status_code == 401


def test_an_admin_sees_and_lifts_a_wait(client, sign_in):
    make_user("agent", username="zhangmin")
    for _ in range(5):
        post_login(client, "zhangmin", "nope-nope-nope")
    make_user("admin", username="wanglei")
    db.session.execute(update(LoginThrottle).where(LoginThrottle.key.startswith("address:"))
                       .values(blocked_until=None, failures=0))
    db.session.commit()
    sign_in("wanglei")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "zhangmin" in page and 'id="throttles"' in page
    waiting = db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.key == "account:zhangmin"))
    client.post(f"/admin/login-throttles/{waiting.id}/lift",
                data={"csrf_token": csrf_from(client, "/admin/users")})
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
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
