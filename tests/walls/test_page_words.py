"""No page shows a developer's identifier where people read: a `#123` record reference,
a metric key (`calls.answer_rate`) or a snake_case code (`air_conditioner`), in Chinese or
English. Every page route is requested by someone holding every role enterprise-wide,
over the walls' world of records, and so is every clause page of the catalog over a
snapshot, with the pages its records drill down to; only the text people read is scanned
(not tags, attributes, scripts or styles). Nobody but an administrator reads the name of
an environment variable (`AFTERSALES_TIMEZONE`): the others cannot set one."""

import html
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from flask import g
from sqlalchemy import select

from aftersales.core.clock import local_today
from aftersales.core.models import User
from aftersales.core.permissions import ROLES
from aftersales.evidence.compliance import catalog
from aftersales.extensions import db
from aftersales.visits import services as visit_services
from tests.conftest import csrf_from
from tests.evidence.factories import make_action, snapshot
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.visits.factories import make_visit
from tests.walls import world as walls_world
from tests.walls.routes import walked_routes

IDENTIFIERS = re.compile(
    r"(?<![\w&])#\d+\b"  # a record by its row id
    r"|\b[a-z]+\.[a-z]+_[a-z_]+\b"  # a metric key
    r"|\b[a-z]+_[a-z_]*[a-z]\b"  # a snake_case code
)
ENVIRONMENT_NAMES = re.compile(r"\bAFTERSALES_[A-Z_]+\b")
# The links of a metric's record lists: where its drill-downs land.
RECORD_LISTS = re.compile(r'<ul class="ev-records[^"]*">(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')

# Pages still showing identifiers, and why. A page leaves this list when fixed; none may
# join it without a reason people would accept.
KNOWN = {
    # The import file's columns take codes: the page lists the codes to type.
    "/calls/import": "the call file's outcome codes",
}


class _VisibleText(HTMLParser):
    """The text between tags, outside <script>, <style> and <code> (which shows code on
    purpose: a command to type)."""

    HIDDEN = {"script", "style", "code", "pre", "textarea"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.depth -= tag in self.HIDDEN and self.depth > 0

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def _client(app, language, username):
    client = app.test_client()
    g.pop("csrf_token", None)
    client.get(f"/lang/{language}")
    client.post("/login", data={"username": username, "password": DEFAULT_PASSWORD,
                                "csrf_token": csrf_from(client)})
    return client


def _records_behind_the_clauses():
    """Besides the world's records, failing ones of the period (a customer dissatisfied
    with a return visit, an improvement action done late), and a snapshot over them all."""
    visit = make_visit(closed_on=local_today() - timedelta(days=5))
    visit_services.record_visit(db.session, visit, None, "reached", 1, "")
    make_action(due_days_ago=3, done_days_ago=1)
    snapshot()


def _paths(app, world, client):
    """Every page route, every clause of the catalog and every record its page links."""
    for route in walked_routes(app):
        if not (route.is_api or route.is_write or route.rule in KNOWN):
            yield route.rule, route.url(world)
    for clause in catalog.load().clauses:
        path = f"/evidence/clauses/{clause.number}"
        yield path, path
        for key in clause.providers:
            records_path = f"{path}/records/{key}"
            page = client.get(records_path)
            if page.status_code != 200:
                continue  # the snapshot holds no records for it
            yield records_path, records_path
            for records in RECORD_LISTS.findall(page.get_data(as_text=True)):
                for href in HREF.findall(records):
                    yield f"{records_path} → {href}", html.unescape(href)


def _shown(app, language, username, pattern):
    """What `pattern` finds in the text of the pages `username` opens, page by page."""
    world = walls_world.build()
    _records_behind_the_clauses()
    # What people typed is theirs to read back: the walls' world names its users home_agent.
    usernames = set(db.session.scalars(select(User.username)))
    client = _client(app, language, username)
    found = []
    for name, path in _paths(app, world, client):
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        shown = sorted(set(pattern.findall(visible_text(response.get_data(as_text=True))))
                       - usernames)
        if shown:
            found.append(f"{name}: {shown[:6]}")
    return found


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_page_shows_an_internal_identifier(app, language):
    make_user(*ROLES, username="everyone")
    assert _shown(app, language, "everyone", IDENTIFIERS) == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_only_an_administrator_reads_the_name_of_an_environment_variable(app, language):
    make_user(*(role for role in ROLES if role != "admin"), username="everyone_but_admin")
    assert _shown(app, language, "everyone_but_admin", ENVIRONMENT_NAMES) == []
