"""The board's figures, straight from the service."""

from datetime import timedelta

from aftersales.complaints import figures, services
from aftersales.core.permissions import Scope
from aftersales.extensions import db
from tests.complaints.factories import T0, hours, make_complaint
from tests.factories import make_customer, make_outlet

EVERYWHERE = Scope(everywhere=True)


def _board(**kwargs):
    return figures.board(db.session, EVERYWHERE, T0 - timedelta(days=30),
                         T0 + timedelta(days=30), now=T0 + timedelta(days=20), **kwargs)


def test_a_second_complaint_of_the_same_customer_is_a_repeat():
    customer = make_customer()
    make_complaint(customer=customer, now=T0 - timedelta(days=40))  # before the period
    make_complaint(customer=customer, now=T0)
    make_complaint(customer=customer, now=T0 + hours(5))
    make_complaint(now=T0)
    total = _board().total
    assert (total.received, total.repeat) == (3, 2)


def test_averages_and_rates_add_up_across_outlets():
    north, south = make_outlet(), make_outlet()
    one = make_complaint(outlet_id=north.id)
    two = make_complaint(outlet_id=south.id, category="fees")
    services.acknowledge(db.session, one, None, "已致歉", now=T0 + hours(2))
    services.acknowledge(db.session, two, None, "已致歉", now=T0 + hours(30))
    services.resolve(db.session, one, None, services.Resolution("退费", "误收"),
                     now=T0 + hours(10))
    services.confirm(db.session, one, None, True, 4, None, now=T0 + hours(11))
    db.session.commit()
    board = _board()
    assert (board.total.response_24h_rate, board.total.average_response_hours) == (0.5, 16.0)
    assert (board.total.resolution_rate, board.total.average_satisfaction) == (0.5, 4.0)
    assert sorted(row.label.split()[0] for row in board.by_outlet) == sorted(
        [north.code, south.code])
    assert {row.key: row.received for row in board.by_category} == {"repair_quality": 1,
                                                                     "fees": 1}


def test_a_reopened_complaint_is_counted():
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, None, "已致歉", now=T0 + hours(1))
    services.resolve(db.session, complaint, None, services.Resolution("换机", "缺陷"),
                     now=T0 + hours(5))
    services.reopen(db.session, complaint, None, "又坏了", now=T0 + hours(50))
    db.session.commit()
    total = _board().total
    assert (total.reopened, total.resolved, total.responded_24h) == (1, 0, 1)


def test_a_region_scoped_board_counts_the_complaints_of_that_regions_outlets():
    here, elsewhere = make_outlet(region_code="310100"), make_outlet(region_code="440100")
    make_complaint(outlet_id=here.id)
    make_complaint(outlet_id=elsewhere.id)
    make_complaint()
    board = figures.board(db.session, Scope(everywhere=False, region_codes=frozenset({"310100"})),
                          T0 - timedelta(days=30), T0 + timedelta(days=30),
                          now=T0 + timedelta(days=20))
    assert [row.key for row in board.by_outlet] == [str(here.id)]


def test_an_outlet_and_region_scoped_board_counts_both():
    mine, regional = make_outlet(region_code="440100"), make_outlet(region_code="310100")
    make_complaint(outlet_id=mine.id)
    make_complaint(outlet_id=regional.id)
    make_complaint(outlet_id=make_outlet(region_code="500100").id)
    scope = Scope(everywhere=False, outlet_ids=frozenset({mine.id}),
                  region_codes=frozenset({"310100"}))
    board = figures.board(db.session, scope, T0 - timedelta(days=30), T0 + timedelta(days=30),
                          now=T0 + timedelta(days=20))
    assert board.total.received == 2
