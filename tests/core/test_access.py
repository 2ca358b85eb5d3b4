"""Deny by default: every route declares a permission, the API answers 401 without
credentials and 403 to a role that lacks the permission."""

import re

import pytest

from aftersales.core.permissions import ROLES, roles_granting
from tests.factories import bearer, make_outlet, make_token, make_user

# Beyond these, the customer portal's pages are public (each answers to a one-time code
# or link, or is a public form): every one of them is, and nothing else is.
PUBLIC_ENDPOINTS = {"core.login", "core.set_language", "api-docs.openapi_json"}


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api-docs."):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)
            yield method, path, rule.endpoint


def permission_of(app, endpoint):
    return getattr(app.view_functions[endpoint], "required_permission", None)


def test_every_endpoint_declares_a_permission_or_is_knowingly_public(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and permission_of(app, rule.endpoint) is None
        and not getattr(app.view_functions[rule.endpoint], "is_public", False)
    ]
    assert undeclared == []
    public = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "is_public", False)
    }
    portal = {endpoint for endpoint in app.view_functions if endpoint.startswith("portal.")}
    assert public - portal == PUBLIC_ENDPOINTS
    assert portal <= public


def test_every_api_route_answers_401_without_credentials(app, client):
    routes = list(api_routes(app))
    assert len(routes) >= 12
    for method, path, _endpoint in routes:
        response = client.open(path, method=method, json={})
        assert response.status_code == 401, (method, path)
        assert response.json["code"] == "unauthenticated"
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_every_api_route_answers_403_to_a_role_without_its_permission(app, client):
    checked = 0
    for method, path, endpoint in api_routes(app):
        permission = permission_of(app, endpoint)
        outsiders = [role for role in ROLES if role not in roles_granting(permission)]
        if not outsiders:
            continue  # a permission every role holds (the user's own account)
        secret = make_token(make_user(outsiders[0]))
        response = client.open(path, method=method, json={}, headers=bearer(secret))
        assert response.status_code == 403, (method, path, outsiders[0])
        assert response.json["code"] == "forbidden"
        checked += 1
    assert checked >= 9


def test_an_unknown_permission_is_granted_to_nobody():
    assert roles_granting("no.such.permission") == frozenset()


@pytest.mark.parametrize("path", ["/", "/admin/users", "/account/tokens"])
def test_pages_send_an_anonymous_visitor_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_page_refuses_a_role_without_its_permission(client, sign_in):
    make_user("technician", username="zhaoqiang")
    sign_in("zhaoqiang")
    assert client.get("/admin/users").status_code == 403


def test_the_openapi_document_is_public_and_lists_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/customers" in response.json["paths"]


def test_an_admin_resets_a_password_from_the_edit_page(client, sign_in):
    from tests.conftest import csrf_from

    make_user("admin", username="wanglei")
    target = make_user("agent", username="zhangmin")
    sign_in("wanglei")
    form = {"display_name": "张敏", "roles": ["agent"], "scope": "", "password": "short",
            "csrf_token": csrf_from(client, f"/admin/users/{target.id}")}
    refused = client.post(f"/admin/users/{target.id}", data=form)
    assert refused.status_code == 422
    assert 'id="e-password"' in refused.get_data(as_text=True)
    accepted = client.post(f"/admin/users/{target.id}", data={**form, "password": "long-enough-pw"})
    assert accepted.status_code == 302


def test_the_user_form_offers_the_outlets_as_scopes(client, sign_in):
    # core imports no domain: the outlets module fills core's outlet picker
    outlet = make_outlet(code="SH-07")
    make_user("admin", username="wanglei")
    sign_in("wanglei")
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert f'value="outlet:{outlet.id}"' in page
    assert "SH-07" in page
