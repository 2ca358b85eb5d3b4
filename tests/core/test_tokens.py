from datetime import timedelta

from aftersales.core import services
from aftersales.core.clock import utcnow
from aftersales.core.models import ApiToken
from aftersales.extensions import db
from tests.factories import bearer, make_token, make_user


def test_a_valid_token_authenticates(client):
    secret = make_token(make_user("agent", username="zhangmin"))
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200
    assert response.json["username"] == "zhangmin"


def test_only_the_hash_of_a_token_is_stored():
    secret = make_token(make_user("agent"))
    stored = db.session.query(ApiToken).one()
    assert secret not in (stored.token_hash, stored.prefix)
    assert stored.token_hash == services._digest(secret)


def test_a_revoked_token_is_refused(client):
    user = make_user("agent")
    secret = make_token(user)
    services.revoke_token(db.session, user, db.session.query(ApiToken).one().id)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_an_expired_token_is_refused(client):
    secret = make_token(make_user("agent"))
    db.session.query(ApiToken).one().expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_a_disabled_users_token_is_refused(client):
    user = make_user("agent")
    secret = make_token(user)
    services.set_enabled(db.session, user, False)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_a_token_created_through_the_api_is_shown_once(client):
    secret = make_token(make_user("technician"))
    created = client.post("/api/v1/tokens", json={"name": "手机"}, headers=bearer(secret))
    assert created.status_code == 201
    assert created.json["secret"].startswith("as_")
    listed = client.get("/api/v1/tokens", headers=bearer(secret)).json
    assert all("secret" not in token for token in listed)


def test_a_user_cannot_revoke_someone_elses_token(client):
    make_token(make_user("agent"))
    intruder = make_token(make_user("agent"))
    victim_token_id = db.session.query(ApiToken).order_by(ApiToken.id).first().id
    response = client.delete(f"/api/v1/tokens/{victim_token_id}", headers=bearer(intruder))
    assert response.status_code == 404
    assert db.session.get(ApiToken, victim_token_id).revoked_at is None
