"""The agent's box searches by the start of a name or phone number: on PostgreSQL the
indexes must serve `LIKE 'start%'` whatever the database's collation."""

import pytest
from sqlalchemy import text

from aftersales.extensions import db


@pytest.mark.parametrize("column", ["name", "phone", "alt_phone"])
def test_the_prefix_searched_columns_are_indexed_for_prefix_search_on_postgresql(column):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("operator classes are PostgreSQL's (AFTERSALES_TEST_DATABASE_URL)")
    definition = db.session.scalar(
        text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
        {"name": f"ix_customers_{column}"})
    assert "varchar_pattern_ops" in definition
