"""The return-visit figures on a small set checked by hand.

March: outlet A closed 10 work orders, outlet B 5; April: A closed 1 (outside the
period); one work order in March is still open. Sample share 0.4: A ceil(4.0) = 4,
B ceil(2.0) = 2.
  A: 5, 4, 1 (a follow-up), one not reached once (still due)
  B: 2 (a follow-up), one declined
March: closed 15, sampled 6 (40%), done 5, due 1, reached 4, declined 1, scores 5+4+1+2 = 12
of 4: average 3.00 of 5, 60.0 of 100; dissatisfied 2 of 4 (50%); follow-ups 2.
A: 10 closed, 4 sampled, 3 done, 3 reached, 10/3 = 3.33 of 5 (66.7), 1 dissatisfied (33.3%).
B: 5 closed, 2 sampled, 2 done, 1 reached, 2.00 of 5 (40.0), 1 dissatisfied (100%).
"""

from datetime import date

import pytest
from sqlalchemy import select, update

from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from aftersales.visits import figures, services
from aftersales.visits.models import ReturnVisit
from tests.factories import make_outlet, make_ticket, make_user
from tests.visits.factories import APRIL, MARCH, draw, local, make_closed_tickets


@pytest.fixture
def march():
    a, b = make_outlet(code="A-01"), make_outlet(code="B-01")
    make_closed_tickets(10, date(2026, 3, 3), a)
    make_closed_tickets(5, date(2026, 3, 17), b)
    make_closed_tickets(1, date(2026, 4, 2), a)
    make_ticket(outlet_id=a.id, received_at=local(date(2026, 3, 30)), now=local(date(2026, 3, 30)))
    draw(MARCH, share="0.4")
    agent = make_user("agent")
    visits = list(db.session.scalars(select(ReturnVisit).order_by(ReturnVisit.id)))
    by_outlet = {outlet.id: [v for v in visits if v.outlet_id == outlet.id] for outlet in (a, b)}
    answers = {a.id: [("reached", 5), ("reached", 4), ("reached", 1), ("not_reached", None)],
               b.id: [("reached", 2), ("refused", None)]}
    for outlet_id, outcomes in answers.items():
        for visit, (outcome, score) in zip(by_outlet[outlet_id], outcomes, strict=True):
            services.record_visit(db.session, visit, agent, outcome, score)
    db.session.commit()
    return a, b


def march_figures():
    return figures.period_figures(db.session, *MARCH)


def test_closed_and_sampled_are_counted_over_the_period(march):
    overall = march_figures().overall
    assert (overall.closed, overall.sampled, overall.share_sampled) == (15, 6, 0.4)


def test_visits_done_due_reached_and_declined(march):
    overall = march_figures().overall
    assert (overall.done, overall.due, overall.reached, overall.refused) == (5, 1, 4, 1)


def test_the_average_satisfaction_of_5_and_of_100(march):
    overall = march_figures().overall
    assert (overall.average_satisfaction, overall.satisfaction_100) == (3.0, 60.0)


def test_dissatisfied_answers_and_their_follow_ups(march):
    overall = march_figures().overall
    assert (overall.dissatisfied, overall.share_dissatisfied, overall.follow_ups) == (2, 0.5, 2)


def test_per_outlet(march):
    a, b = march
    rows = {row.outlet_id: row for row in march_figures().outlets}
    assert set(rows) == {a.id, b.id}
    assert (rows[a.id].closed, rows[a.id].sampled, rows[a.id].done, rows[a.id].reached) == (
        10, 4, 3, 3
    )
    assert (rows[a.id].average_satisfaction, rows[a.id].satisfaction_100) == (3.33, 66.7)
    assert rows[a.id].share_dissatisfied == 0.3333
    assert (rows[b.id].closed, rows[b.id].average_satisfaction, rows[b.id].share_dissatisfied) == (
        5, 2.0, 1.0
    )


def test_a_finished_follow_up_is_counted(march):
    follow_up_id = db.session.scalar(
        select(ReturnVisit.follow_up_ticket_id).where(ReturnVisit.follow_up_ticket_id.is_not(None))
    )
    db.session.execute(update(Ticket).where(Ticket.id == follow_up_id).values(state="resolved"))
    db.session.commit()
    assert march_figures().overall.follow_ups_finished == 1


def test_another_period_counts_its_own_work_orders(march):
    overall = figures.period_figures(db.session, *APRIL).overall
    assert (overall.closed, overall.sampled, overall.share_sampled) == (1, 0, 0.0)


def test_an_empty_period_has_no_averages():
    overall = march_figures().overall
    assert (overall.closed, overall.share_sampled, overall.average_satisfaction) == (0, None, None)


def test_the_figures_are_one_query_whatever_the_number_of_work_orders(count_queries):
    def queries(count: int, month) -> int:
        make_closed_tickets(count, month[0], make_outlet())
        with count_queries() as statements:
            figures.period_figures(db.session, *month)
        return len(statements)

    assert queries(2, MARCH) == queries(25, APRIL) == 1
