"""Every API operation and every page route, walked as every role by a user whose grant
covers the home outlet only, aimed at the away outlet's records, outlet and people.

A role without the route's permission answers 403 (the permission table says which).
A role holding it answers what the table below says: never 2xx on an away record,
never an away customer's or employee's personal data in any answer."""

import pytest
from flask import g

from aftersales.core.permissions import ROLES, roles_granting
from tests.conftest import csrf_from
from tests.factories import DEFAULT_PASSWORD, bearer, make_token
from tests.walls import world as away
from tests.walls.expected import EXPECTED
from tests.walls.routes import BODIES, Route, walked_routes


def expected_status(app, route: Route, role: str) -> int:
    permission = app.view_functions[route.endpoint].required_permission
    if role not in roles_granting(permission):
        return 403
    answer = EXPECTED[(route.method, route.rule)]
    return answer.get(role, answer["*"]) if isinstance(answer, dict) else answer


def _request(client, route: Route, world, extra: dict) -> tuple[int, bytes]:
    body = BODIES.get((route.method, route.rule), lambda _world: {})(world)
    url = route.url(world)
    if route.is_api and any(isinstance(value, tuple) for value in body.values()):
        response = client.open(url, method=route.method, data=body, **extra)
    elif route.is_api:
        response = client.open(url, method=route.method, json=body, **extra)
    elif route.is_write:
        response = client.open(url, method=route.method, data={**body, **extra["form"]})
    else:
        response = client.open(url, method=route.method)
    return response.status_code, response.get_data()


def _signed_in_page_client(app, user):
    client = app.test_client()
    g.pop("csrf_token", None)  # one app context serves the whole test: forget the last token
    client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD,
                                "csrf_token": csrf_from(client)})
    return client, csrf_from(client, "/account/tokens")


def _walk(app, role: str, pages: bool) -> list[str]:
    world = away.build()
    user = world.actors[role]
    if pages:
        client, token = _signed_in_page_client(app, user)
        extra = {"form": {"csrf_token": token}}
    else:
        client, extra = app.test_client(), {"headers": bearer(make_token(user))}
    wrong = []
    for route in walked_routes(app):
        if route.is_api == pages:
            continue
        status, body = _request(client, route, world, extra)
        wanted = expected_status(app, route, role)
        if status != wanted:
            wrong.append(f"{route.method} {route.rule}: {status}, expected {wanted}")
        text = body.decode("utf-8", "replace")
        leaked = [marker for marker in away.PERSONAL_MARKERS if marker in text]
        if leaked:
            wrong.append(f"{route.method} {route.rule}: shows {leaked}")
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_every_api_operation_holds_the_wall(app, role):
    assert _walk(app, role, pages=False) == []


@pytest.mark.parametrize("role", ROLES)
def test_every_page_route_holds_the_wall(app, role):
    assert _walk(app, role, pages=True) == []


def test_the_table_names_every_route_walked(app):
    walked = {(route.method, route.rule) for route in walked_routes(app)}
    assert sorted(walked - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - walked) == []

