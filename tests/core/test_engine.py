"""How the application's connections to PostgreSQL behave."""

import pytest

from aftersales.extensions import db


def test_postgresql_statements_are_planned_for_their_own_values(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements are PostgreSQL's")
    with db.engine.connect() as connection:
        assert connection.connection.dbapi_connection.prepare_threshold is None
