"""Test harness: one fresh database per test session, built by the migration chain
(SQLite by default; PostgreSQL when AFTERSALES_TEST_DATABASE_URL names one), emptied
after every test so each test starts from the same state."""

import dataclasses
import functools
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text
from werkzeug.security import generate_password_hash

from aftersales import create_app
from aftersales.core import audit, settings
from aftersales.core import services as core_services
from aftersales.core.audit import GENESIS_HASH
from aftersales.core.mail import SmtpSettings
from aftersales.extensions import db

PRESERVED_TABLES = {"alembic_version", "audit_chain_head"}


def _fresh_database_url(tmp_path_factory) -> str:
    url = os.environ.get("AFTERSALES_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Tests only: one PBKDF2 round instead of scrypt's ~0.5 s a hash, for every user the
    suite creates and every sign-in (what is checked is who may sign in, not the cost)."""
    fast = functools.partial(generate_password_hash, method="pbkdf2:sha256:1")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(core_services, "generate_password_hash", fast)
        core_services._dummy_hash.cache_clear()  # made with the cheap hash on first use
        yield


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": _fresh_database_url(tmp_path_factory),
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "UPLOAD_DIR": ":memory:",
            "EVIDENCE_EXPORTS_DIR": str(tmp_path_factory.mktemp("exports")),
            "EVIDENCE_SIGNING_KEY_FILE": str(tmp_path_factory.mktemp("keys") / "signing.pem"),
            # Sheets drawn in the test process: a spawned worker costs a second per export
            # (tests/evidence/test_package.py draws with several once).
            "EVIDENCE_SHEET_WORKERS": 1,
        }
    )
    with app.app_context():
        upgrade()
        db.session.remove()
    return app


def _empty_all_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in PRESERVED_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(table.name for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.execute(
        text("UPDATE audit_chain_head SET last_seq = 0, last_hash = :genesis WHERE id = 1"),
        {"genesis": GENESIS_HASH},
    )
    db.session.commit()


@pytest.fixture(autouse=True)
def database(app):
    """An app context and an empty database for every test."""
    with app.app_context():
        yield db
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
    audit.set_actor(audit.SYSTEM)


@pytest.fixture
def settings_changed(app):
    """Change a module's parsed settings (core/settings.py) for one test:
    `settings_changed("tickets", geofence_m=200)`; the settings come back afterwards."""
    store = app.extensions[settings.EXTENSION]
    saved = dict(store)

    def change(section: str, **values) -> None:
        store[section] = dataclasses.replace(store[section], **values)

    yield change
    store.update(saved)


@pytest.fixture
def count_queries():
    """`with count_queries() as statements:` — the SQL sent to the database inside, so a
    test can show a page or a figure takes the same few queries for any number of rows."""
    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def listener(_connection, _cursor, statement, *_rest):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)

    return counting


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client, path="/login") -> str:
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def sign_in(client):
    def sign_in_as(username: str, password: str = "correct-horse-9"):
        token = csrf_from(client)
        response = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in_as


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpInbox:
    """What the local SMTP server received, parsed."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback (aiosmtpd); the app's SMTP settings point at it."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    store = app.extensions[settings.EXTENSION]
    saved = dict(store)
    server = SmtpSettings("127.0.0.1", controller.port, "aftersales@localhost")
    for section in ("notifications", "messaging"):  # staff's notices, customers' messages
        store[section] = dataclasses.replace(saved[section], smtp=server)
    yield inbox
    controller.stop()
    store.update(saved)
