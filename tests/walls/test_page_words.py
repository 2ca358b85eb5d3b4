"""No page shows a developer's identifier where people read: a `#123` record reference,
a metric key (`calls.answer_rate`) or a snake_case code (`air_conditioner`), in Chinese or
English. Every page route is requested by someone holding every role enterprise-wide,
over the walls' world of records; only the text people read is scanned (not tags,
attributes, scripts or styles)."""

import re
from html.parser import HTMLParser

import pytest
from flask import g
from sqlalchemy import select

from aftersales.core.models import User
from aftersales.core.permissions import ROLES
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.walls import world as walls_world
from tests.walls.routes import walked_routes

IDENTIFIERS = re.compile(
    r"(?<![\w&])#\d+\b"  # a record by its row id
    r"|\b[a-z]+\.[a-z]+_[a-z_]+\b"  # a metric key
    r"|\b[a-z]+_[a-z_]*[a-z]\b"  # a snake_case code
)

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


def _client(app, language):
    client = app.test_client()
    g.pop("csrf_token", None)
    client.get(f"/lang/{language}")
    client.post("/login", data={"username": "everyone", "password": DEFAULT_PASSWORD,
                                "csrf_token": csrf_from(client)})
    return client


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_page_shows_an_internal_identifier(app, language):
    world = walls_world.build()
    make_user(*ROLES, username="everyone")
    client = _client(app, language)
    # What people typed is theirs to read back: the walls' world names its users home_agent.
    usernames = set(db.session.scalars(select(User.username)))
    found = []
    for route in walked_routes(app):
        if route.is_api or route.is_write or route.rule in KNOWN:
            continue
        response = client.get(route.url(world))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        shown = sorted(set(IDENTIFIERS.findall(visible_text(response.get_data(as_text=True))))
                       - usernames)
        if shown:
            found.append(f"{route.rule}: {shown[:6]}")
    assert found == []
