"""The callback figure's records are every missed call behind it, with the seconds the
average is taken over, so the figure recounts from the package's file."""

from datetime import timedelta

from aftersales.extensions import db
from tests.calls.factories import at, make_callback, make_missed
from tests.evidence.test_providers import measure


def test_the_detail_lists_every_missed_call_and_recounts_the_average():
    # Called back after 1 h and after 3 h, one never: average of the two = 2 h.
    first = make_missed(number="13900000001", queued=at("10:00"))
    make_callback(first, after=timedelta(hours=1), wait=0)
    second = make_missed(number="13900000002", queued=at("11:00"))
    make_callback(second, after=timedelta(hours=3), wait=0)
    never = make_missed(number="13900000003", queued=at("12:00"))
    measured, failing = measure("calls.callback_time", 14400)
    rows = {row.id: row for row in db.session.execute(measured.detail)}
    # The records are every missed call, not only the one still waiting.
    assert set(db.session.scalars(measured.records)) == {first.id, second.id, never.id}
    assert failing == [never.id]
    seconds = [rows[call.id].seconds_to_callback for call in (first, second)]
    assert seconds == [3600, 10800] and rows[never.id].seconds_to_callback is None
    assert measured.value == sum(seconds) / len(seconds) == 7200
