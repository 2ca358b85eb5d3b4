"""The return-visit rate counts visits made that reached the customer, not visits drawn."""

from aftersales.extensions import db
from aftersales.visits import services as visit_services
from tests.evidence.factories import days_ago
from tests.evidence.test_providers import measure
from tests.visits.factories import local, make_closed_ticket, make_visit


def test_the_rate_counts_visits_that_reached_the_customer_not_visits_drawn():
    # 4 work orders closed in the period: one visit reached the customer, one was not
    # reached, one is drawn but not made, one work order has no visit: 1 of 4 = 25 %
    # (drawn into the sample it would have read 3 of 4).
    reached = make_visit(closed_on=days_ago(10))
    visit_services.record_visit(db.session, reached, None, "reached", satisfaction=5)
    unreached = make_visit(closed_on=days_ago(11))
    for _ in range(3):
        visit_services.record_visit(db.session, unreached, None, "not_reached")
    drawn = make_visit(closed_on=days_ago(12))
    plain = make_closed_ticket(local(days_ago(13)))
    db.session.commit()
    measured, failing = measure("visits.return_visit_rate")
    assert (measured.value, measured.passed, measured.checked) == (0.25, 1, 4)
    assert failing == sorted([unreached.ticket_id, drawn.ticket_id, plain.id])


def test_the_detail_gives_each_closed_work_orders_visit_outcome():
    reached = make_visit(closed_on=days_ago(10))
    visit_services.record_visit(db.session, reached, None, "reached", satisfaction=4)
    drawn = make_visit(closed_on=days_ago(11))
    db.session.commit()
    rows = {row.id: row for row in db.session.execute(
        measure("visits.return_visit_rate")[0].detail)}
    assert (rows[reached.ticket_id].visit_outcome, rows[drawn.ticket_id].visit_outcome) == (
        "reached", None)

