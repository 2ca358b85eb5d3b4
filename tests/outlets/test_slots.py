"""An outlet's bookable visit windows: the places left over the next days, windows that
started or filled up not offered, and a booking that can never pass the capacity."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from aftersales.core.clock import DEFAULT_ZONE
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.extensions import db
from aftersales.outlets import services
from aftersales.outlets.models import SlotBooking
from tests.concurrency import refused, run_together
from tests.factories import make_outlet, make_slots

# A Monday morning in Shanghai.
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=DEFAULT_ZONE)


def _outlet_with_monday_windows(capacity=2):
    outlet = make_outlet()
    make_slots(outlet, time(9), time(12), capacity, weekdays=[0])
    make_slots(outlet, time(14), time(17), capacity, weekdays=[0])
    return outlet


def test_the_windows_of_the_days_ahead_are_offered_with_their_places():
    outlet = _outlet_with_monday_windows()
    windows = services.open_windows(db.session, outlet.id, MONDAY, days=8)
    assert [(w.day.isoformat(), w.starts_at.hour, w.places_left) for w in windows] == [
        ("2026-12-07", 9, 2), ("2026-12-07", 14, 2), ("2026-12-14", 9, 2), ("2026-12-14", 14, 2)]


def test_a_window_that_has_started_is_not_offered():
    outlet = _outlet_with_monday_windows()
    windows = services.open_windows(db.session, outlet.id, MONDAY + timedelta(hours=2), days=1)
    assert [w.starts_at.hour for w in windows] == [14]


def test_a_full_window_is_not_offered():
    outlet = _outlet_with_monday_windows(capacity=1)
    morning = services.open_windows(db.session, outlet.id, MONDAY, days=1)[0]
    services.book_window(db.session, outlet.id, morning.key, MONDAY, days=1)
    windows = services.open_windows(db.session, outlet.id, MONDAY, days=1)
    assert [w.starts_at.hour for w in windows] == [14]


def test_booking_past_the_capacity_is_refused():
    outlet = _outlet_with_monday_windows(capacity=1)
    morning = services.open_windows(db.session, outlet.id, MONDAY, days=1)[0]
    services.book_window(db.session, outlet.id, morning.key, MONDAY, days=1)
    with pytest.raises(Conflict):
        services.book_window(db.session, outlet.id, morning.key, MONDAY, days=1)


def test_a_window_of_another_outlet_is_refused_naming_the_window():
    outlet, other = _outlet_with_monday_windows(), _outlet_with_monday_windows()
    theirs = services.open_windows(db.session, other.id, MONDAY, days=1)[0]
    with pytest.raises(ValidationFailed) as refused:
        services.book_window(db.session, outlet.id, theirs.key, MONDAY, days=1)
    assert refused.value.field == "window"


@pytest.mark.parametrize("key", ["2026-12-08/1", "garbage", "2026-12-07/99999999999"])
def test_a_window_not_offered_is_refused(key):
    outlet = _outlet_with_monday_windows()
    with pytest.raises(ValidationFailed):
        services.book_window(db.session, outlet.id, key, MONDAY, days=1)


def test_two_customers_racing_for_the_last_place_one_gets_it(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent bookings need PostgreSQL (AFTERSALES_TEST_DATABASE_URL)")
    outlet = _outlet_with_monday_windows(capacity=1)
    outlet_id = outlet.id  # read here: the threads must not touch this thread's session
    key = services.open_windows(db.session, outlet_id, MONDAY, days=1)[0].key
    db.session.commit()
    outcomes = run_together(app, 4, lambda: services.book_window(
        db.session, outlet_id, key, MONDAY, days=1))
    assert refused(outcomes) == 3
    assert db.session.scalar(select(SlotBooking.booked)) == 1
