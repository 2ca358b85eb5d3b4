"""Benchmark: every page a role opens from the menu, at the size of the data it is run on.

    .venv/bin/python -m tests.bench.bench_pages [--runs 3] [--roles manager,agent]

On AFTERSALES_DATABASE_URL as it is (the full-size data of `python -m tests.bench.generate`;
an empty database gets `demo load` first). Each role signs in as a user of its own with
a company-wide grant (`bench-<role>`, created once), then every HTML page and API list
without a variable in its address is requested through the WSGI app: the first answer (cold)
and the median of the runs after it. The floor is the sign-in page, a template with no
query, in the same run. One figure per page: the slowest role's median. A page over its goal
at full size does work on page load that a job, an index or a keyset should do.
"""

import argparse
import os
import sys

from flask_migrate import upgrade
from sqlalchemy import select

from aftersales import create_app
from aftersales import demo as demo_data
from aftersales.core import services as core_services
from aftersales.core.models import User
from aftersales.core.permissions import ROLES
from aftersales.extensions import db
from tests.bench import figures
from tests.conftest import csrf_from

PASSWORD = "bench-walk-27922"  # noqa: S105 - a benchmark's own user on a benchmark database
# Not pages: signing out ends the walk's session, downloads and the OpenAPI document are files.
SKIPPED = {"core.logout", "core.login", "core.set_language", "static", "api-docs.openapi_json"}
GOAL_MS = 300


def page_routes(app) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET without a URL variable, the portal aside (no role)."""
    found = []
    for rule in app.url_map.iter_rules():
        if ("GET" in rule.methods and not rule.arguments and rule.endpoint not in SKIPPED
                and not rule.endpoint.startswith("portal.")):
            found.append((rule.endpoint, rule.rule))
    return sorted(found, key=lambda route: route[1])


def walker(role: str) -> str:
    """The role's benchmark user, company-wide, created on first use."""
    username = f"bench-{role}"
    if db.session.scalar(select(User.id).where(User.username == username)) is None:
        core_services.create_user(db.session, username, f"基准{role}", PASSWORD,
                                  [core_services.GrantSpec(role, None, None)])
        db.session.commit()
    return username


def signed_in(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": csrf_from(client)})
    if response.status_code != 302:
        sys.exit(f"{username} could not sign in: {response.status_code}")
    return client


def timed_get(client, path: str, runs: int) -> tuple[int, float, list[float]]:
    """The status, the first answer's time and the following runs' times (ms)."""
    status = []

    def get():
        status.append(client.get(path).status_code)

    first = figures.samples_ms(get, 1)[0]
    return status[0], first, figures.samples_ms(get, runs) if status[0] == 200 else []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--roles", default=",".join(ROLES))
    args = parser.parse_args()
    url = os.environ.get("AFTERSALES_DATABASE_URL")
    if not url:
        sys.exit("set AFTERSALES_DATABASE_URL to the database to walk")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": ":memory:"})
    roles = args.roles.split(",")
    with app.app_context():
        upgrade()
        if demo_data.database_is_empty(db.session):
            demo_data.load(db.session, 1)
            db.session.commit()
        usernames = {role: walker(role) for role in roles}
    # Requests run outside any app context of ours: each gets its own, as in production
    # (an outer one would share `g`, and with it one client's CSRF token, across clients).
    floor_client = app.test_client()
    floor = figures.median(figures.samples_ms(lambda: floor_client.get("/login"), 9))
    slowest: dict[str, tuple[float, str, str]] = {}
    for role in roles:
        client = signed_in(app, usernames[role])
        for endpoint, path in page_routes(app):
            status, first, runs = timed_get(client, path, args.runs)
            if status >= 500:
                print(f"{role} {path}: {status}")
            if not runs:
                continue
            median = figures.median(runs)
            print(f"{role:18} {path:45} first {first:8.0f} ms  median {median:8.0f} ms")
            if median > slowest.get(endpoint, (0.0,))[0]:
                slowest[endpoint] = (median, role, path)
    print(f"floor: the sign-in page, median {floor:.1f} ms")
    for endpoint, (median, role, path) in sorted(slowest.items(), key=lambda kv: -kv[1][0]):
        print(f"# {path} slowest as {role}")
        figures.report(f"pages.{endpoint}", median, floor, goal=f"measured<={GOAL_MS}",
                       unit="ms")


if __name__ == "__main__":
    main()
