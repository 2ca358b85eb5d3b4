"""The hotline figures on a small set checked by hand.

Day 0 (Beijing time), inbound unless said otherwise:
  A 09:00 answered after 10 s          E 21:00 missed, out of hours
  B 10:00 answered after 30 s          F 19:59:59 answered after 20 s
  C 11:00 missed; called back 11:30    G 09:30 outbound, answered (not offered)
  D 12:00 abandoned; one attempt at 12:10, nobody answered
  E is called back the next day at 08:30 (11.5 h later); H, the day before, is outside
  the period.
Offered in hours: A B C D F = 5, answered A B F = 3, rate 0.6, average wait 20 s.
Callbacks due C D E = 3, called back C E = 2, open D; time to callback C 1,800 s,
E 41,400 s: average 21,600 s, maximum 41,400 s.
"""

from datetime import timedelta

import pytest

from aftersales.calls import services
from aftersales.extensions import db
from tests.calls.factories import at, make_call, make_callback, make_missed


@pytest.fixture
def day0():
    make_call("13900000001", at("09:00"), wait=10)
    make_call("13900000002", at("10:00"), wait=30)
    c = make_missed("13900000003", at("11:00"), wait=40)
    d = make_missed("13900000004", at("12:00"), outcome="abandoned", wait=20)
    e = make_missed("13900000005", at("21:00"), wait=15)
    make_call("13900000006", at("19:59:59"), wait=20)
    make_call("13900000007", at("09:30"), direction="outbound")
    make_call("13900000008", at("15:00", day=-1), wait=5)
    make_callback(c, after=timedelta(minutes=30), wait=0)
    make_callback(d, after=timedelta(minutes=10), reached=False)
    make_callback(e, after=timedelta(hours=11, minutes=30), wait=0)


def figures(first=0, last=0):
    return services.hotline_figures(db.session, at("00:00", first), at("00:00", last + 1))


def test_only_inbound_calls_in_hotline_hours_of_the_period_are_offered(day0):
    result = figures()
    assert (result.offered, result.answered, result.unanswered) == (5, 3, 2)


def test_the_answer_rate_is_answered_over_offered(day0):
    assert figures().answer_rate == 0.6


def test_calls_outside_hotline_hours_are_left_out_of_the_answer_rate(day0):
    before = figures()
    make_missed("13900000009", at("22:30"))
    after = figures()
    assert (after.answer_rate, after.out_of_hours) == (before.answer_rate, 2)


def test_the_average_wait_is_that_of_the_answered_calls(day0):
    assert figures().average_wait_seconds == 20


def test_callbacks_due_made_and_still_open(day0):
    result = figures()
    assert (result.callbacks_due, result.called_back, result.callbacks_open) == (3, 2, 1)


def test_time_from_the_missed_call_to_the_answered_callback(day0):
    result = figures()
    assert (result.callback_seconds_avg, result.callback_seconds_max) == (21600, 41400)


def test_a_longer_period_takes_in_the_day_before(day0):
    assert figures(first=-1).offered == 6


def test_a_period_with_no_calls_has_no_rate():
    result = figures()
    assert (result.offered, result.answer_rate, result.callback_seconds_avg) == (0, None, None)


def test_a_call_marked_called_back_without_a_logged_callback_counts_as_called_back():
    make_call("13900000001", at("09:00"), outcome="called_back", wait=30)
    result = figures()
    assert (result.called_back, result.callbacks_open, result.callback_seconds_avg) == (
        1, 0, None,
    )


def test_the_figures_take_the_same_few_queries_for_any_number_of_calls(count_queries):
    def queries(calls: int) -> int:
        for n in range(calls):
            make_missed(f"1380000{n:04d}", at("10:00") + timedelta(minutes=n), commit=False)
        with count_queries() as statements:
            figures()
        return len(statements)

    assert queries(2) == queries(30) == 2
