"""The shared extension objects, created unbound and wired in create_app()."""

import sqlite3

from flask import Flask
from flask.cli import AppGroup
from flask_babel import Babel
from flask_login import LoginManager
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from aftersales.core.openapi import ErrorSchema

# Named constraints keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class _Api(Api):
    """flask-smorest's Api, writing the OpenAPI document when it is first read (the
    /api/openapi.json route, `flask openapi`, a client generator) rather than when the
    application starts: describing every operation is a third of a second of start-up that
    no request needs. Follows `Api.register_blueprint` of flask-smorest 0.47, split in two."""

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []  # (blueprint, name, parameters), in order
        super().__init__(*args, **kwargs)

    def init_app(self, app, *args, **kwargs):
        self._undocumented = []  # one object serves each app made in turn (tests make many)
        super().init_app(app, *args, **kwargs)

    @property
    def spec(self):
        pending, self._undocumented = self._undocumented, []
        for blueprint, name, parameters in pending:
            blueprint.register_views_in_doc(self, self._app, self._spec, name=name,
                                            parameters=parameters)
            self._spec.tag({"name": name, "description": blueprint.description})
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))


api = _Api()


class _MigrationsOnDemand:
    """Stands in `app.extensions["migrate"]` until Flask-Migrate's functions (`upgrade()`,
    the `db` commands) first read it, and then installs Flask-Migrate: it loads alembic and
    mako, a tenth of a second of start-up that no web request needs."""

    def __init__(self, app: Flask, directory: str):
        self._app, self._directory = app, directory

    def __getattr__(self, name: str):
        return getattr(self.install(), name)

    def install(self):
        from flask_migrate import Migrate

        Migrate(self._app, db, directory=self._directory)  # replaces this stand-in
        return self._app.extensions["migrate"]


class _Commands(AppGroup):
    """The application's commands; `db` (Flask-Migrate's) is added when a command line
    names it or lists the commands, which a web process never does."""

    def __init__(self, migrations: _MigrationsOnDemand, **group):
        super().__init__(**group)
        self._migrations = migrations

    def get_command(self, ctx, cmd_name):
        if cmd_name == "db":
            self._install_migrations()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        self._install_migrations()
        return super().list_commands(ctx)

    def _install_migrations(self) -> None:
        if "db" not in self.commands:
            self._migrations.install()


def migrate_on_demand(app: Flask, directory: str) -> None:
    """Flask-Migrate for `app`, imported the first time a migration is run or listed."""
    migrations = _MigrationsOnDemand(app, directory)
    app.extensions["migrate"] = migrations
    app.cli = _Commands(migrations, name=app.cli.name, commands=app.cli.commands)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys like PostgreSQL does, and let readers run beside
    the one writer (WAL), waiting for the write lock rather than failing at once."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()


@event.listens_for(Engine, "connect")
def _plan_every_statement(dbapi_connection, _record) -> None:
    """PostgreSQL (psycopg): never prepare statements on the server. psycopg prepares a
    query it has run five times, and after five more runs PostgreSQL may keep one generic
    plan for every later value: for a batch of ids (`id IN (...)` beside a date range) that
    plan scans instead of seeking, 12 s a batch instead of 20 ms, seen freezing a year at
    full size. Planning each statement for its own values costs well under a millisecond,
    and nothing server-side outlives a statement (a transaction-pooling proxy is safe)."""
    if hasattr(dbapi_connection, "prepare_threshold"):
        dbapi_connection.prepare_threshold = None
