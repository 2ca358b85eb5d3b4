"""The callback queue: inbound calls nobody answered and nobody has reached since."""

from datetime import timedelta

import pytest

from aftersales.calls import services
from aftersales.core.errors import Conflict
from aftersales.extensions import db
from tests.calls.factories import at, draft, make_call, make_callback, make_missed


def queue() -> list[int]:
    return [call.id for call in services.callback_queue(db.session, None, 50).items]


def test_the_queue_holds_missed_and_abandoned_inbound_calls_only():
    missed = make_missed("13900000001", at("09:00"))
    abandoned = make_missed("13900000002", at("09:05"), outcome="abandoned")
    make_call("13900000003", at("09:10"))
    make_call("13900000004", at("09:15"), direction="outbound", outcome="missed")
    assert queue() == [missed.id, abandoned.id]


def test_the_queue_is_oldest_first_even_when_logged_out_of_order():
    later = make_missed("13900000001", at("11:00"))
    earlier = make_missed("13900000002", at("09:00"))
    yesterday = make_missed("13900000003", at("16:00", day=-1))
    assert queue() == [yesterday.id, earlier.id, later.id]


def test_a_reached_callback_closes_the_entry_and_marks_the_call_called_back():
    missed = make_missed(queued=at("09:00"))
    callback = make_callback(missed, reached=True)
    assert queue() == []
    assert (missed.outcome, callback.callback_of_id) == ("called_back", missed.id)


def test_a_callback_goes_to_the_number_that_called():
    missed = make_missed("01062345678", at("09:00"))
    assert make_callback(missed).caller_number == "01062345678"


def test_a_callback_nobody_answers_leaves_the_entry_and_counts_the_attempt():
    missed = make_missed(queued=at("09:00"))
    make_callback(missed, reached=False)
    assert queue() == [missed.id]
    assert missed.outcome == "missed"
    assert services.callback_attempts(db.session, [missed.id]) == {missed.id: 1}


def test_an_answered_outbound_call_to_the_number_later_closes_the_entry_without_a_link():
    missed = make_missed("13900000001", at("09:00"))
    assert queue() == [missed.id]
    make_call("13900000001", at("10:00"), direction="outbound")  # e.g. from an import
    assert queue() == []


def test_an_outbound_call_before_the_missed_call_does_not_close_it():
    make_call("13900000001", at("08:30"), direction="outbound")
    missed = make_missed("13900000001", at("09:00"))
    assert queue() == [missed.id]


def test_an_outbound_call_to_another_number_does_not_close_it():
    missed = make_missed("13900000001", at("09:00"))
    make_call("13900000002", at("10:00"), direction="outbound")
    assert queue() == [missed.id]


def test_a_call_marked_called_back_is_not_in_the_queue():
    make_call(queued=at("09:00"), outcome="called_back", wait=30)
    assert queue() == []


def test_calling_back_an_answered_call_is_a_conflict():
    answered = make_call(queued=at("09:00"))
    with pytest.raises(Conflict):
        make_callback(answered)


def test_a_callback_before_the_missed_call_is_refused():
    missed = make_missed(queued=at("09:00"))
    with pytest.raises(services.InvalidCall) as refused:
        make_callback(missed, after=timedelta(minutes=-5))
    assert list(refused.value.errors) == ["queued_at"]


def test_only_an_outbound_call_returns_a_missed_call():
    missed = make_missed(queued=at("09:00"))
    values = draft(queued=at("09:30"), callback_of_id=missed.id)
    with pytest.raises(services.InvalidCall) as refused:
        services.log_call(db.session, values)
    assert list(refused.value.errors) == ["callback_of_id"]


def test_the_queue_pages_walk_every_entry_once_in_order():
    ids = [make_missed(f"1390000000{n}", at(f"0{n}:00")).id for n in range(1, 8)]
    seen, cursor, pages = [], None, 0
    while True:
        page = services.callback_queue(db.session, cursor, 3)
        seen += [call.id for call in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert (seen, pages) == (ids, 3)


def test_the_queue_pages_stay_in_order_when_two_calls_came_in_at_the_same_second():
    first = make_missed("13900000001", at("09:00"))
    second = make_missed("13900000002", at("09:00"))
    one = services.callback_queue(db.session, None, 1)
    two = services.callback_queue(db.session, one.next_cursor, 1)
    assert [one.items[0].id, two.items[0].id] == [first.id, second.id]


def test_the_queue_size_counts_the_open_entries():
    make_missed("13900000001", at("09:00"))
    closed = make_missed("13900000002", at("09:10"))
    make_callback(closed)
    assert services.callback_queue_size(db.session) == 1


def test_a_missed_call_keeps_when_a_callback_first_reached_the_caller():
    missed = make_missed("13900000001", at("09:00"))
    make_call("13900000001", at("10:00"), direction="outbound", wait=5)
    make_call("13900000001", at("11:00"), direction="outbound", wait=5)
    db.session.refresh(missed)
    assert missed.reached_at == at("10:00:05")


def test_a_missed_call_logged_after_its_callback_is_reached_when_logged():
    make_call("13900000001", at("10:00"), direction="outbound", wait=5)  # the import's order
    missed = make_missed("13900000001", at("09:00"))
    db.session.refresh(missed)
    assert missed.reached_at == at("10:00:05") and queue() == []


def test_an_earlier_callback_logged_later_moves_the_time_reached_earlier():
    missed = make_missed("13900000001", at("09:00"))
    make_call("13900000001", at("11:00"), direction="outbound", wait=5)
    services.log_calls(db.session, [draft("13900000001", at("09:30"), direction="outbound",
                                          wait=5)])
    db.session.commit()
    db.session.refresh(missed)
    assert missed.reached_at == at("09:30:05")


def test_a_callback_nobody_answers_reaches_nobody():
    missed = make_missed("13900000001", at("09:00"))
    make_callback(missed, reached=False)
    db.session.refresh(missed)
    assert missed.reached_at is None
