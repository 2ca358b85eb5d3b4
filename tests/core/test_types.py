"""Column types and SQL helpers that answer the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import literal, select

from aftersales.core.types import UTCDateTime, within_seconds
from aftersales.extensions import db

RECEIVED = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(("later", "within"), [
    (RECEIVED + timedelta(days=1), True),
    (RECEIVED + timedelta(days=1, microseconds=1000), False),
    (RECEIVED - timedelta(hours=1), True),
])
def test_within_seconds_holds_up_to_and_including_the_last_second(app, later, within):
    stored = (literal(later, UTCDateTime()), literal(RECEIVED, UTCDateTime()))
    assert db.session.scalar(select(within_seconds(*stored, 86400))) is within
