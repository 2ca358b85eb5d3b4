"""Drawing the return-visit sample: stratified by outlet and month of closing,
reproducible from its seed, never sampling a work order twice."""

import math
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from aftersales.core.errors import ValidationFailed
from aftersales.core.sample_input import MAX_SEED
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from aftersales.visits import sampling
from aftersales.visits.models import ReturnVisit
from tests.factories import make_outlet, make_ticket
from tests.visits.factories import (
    APRIL,
    MARCH,
    draw,
    local,
    make_closed_ticket,
    make_closed_tickets,
    sampled_ticket_ids,
)

SPRING = (MARCH[0], APRIL[1])


@pytest.fixture
def strata():
    """Two outlets x two months: 25, 1, 10 and 11 closed work orders."""
    beijing, shanghai = make_outlet(code="BJ-01"), make_outlet(code="SH-01")
    ids = {
        (beijing.id, "2026-03"): make_closed_tickets(25, date(2026, 3, 5), beijing),
        (shanghai.id, "2026-03"): make_closed_tickets(1, date(2026, 3, 20), shanghai),
        (beijing.id, "2026-04"): make_closed_tickets(10, date(2026, 4, 2), beijing),
        (shanghai.id, "2026-04"): make_closed_tickets(11, date(2026, 4, 28), shanghai),
    }
    return ids


def drawn_per_stratum(strata, sample) -> dict:
    sampled = sampled_ticket_ids(sample)
    return {key: len(sampled & set(ids)) for key, ids in strata.items()}


def test_every_outlet_month_gets_its_share_rounded_up(strata):
    sample = draw(SPRING)
    assert drawn_per_stratum(strata, sample) == {
        key: math.ceil(len(ids) / 10) for key, ids in strata.items()
    }


def test_every_non_empty_stratum_gets_at_least_one(strata):
    sample = draw(SPRING)
    assert min(drawn_per_stratum(strata, sample).values()) >= 1


def test_the_sample_is_at_least_the_share_overall(strata):
    sample = draw(SPRING)
    assert (sample.population, sample.sampled_count) == (47, 3 + 1 + 1 + 2)
    assert sample.sampled_count >= 0.10 * sample.population


def test_the_strata_are_stored_with_the_drawing(strata):
    sample = sampling.get_sample(db.session, draw(SPRING).id)
    stored = {(s.outlet_id, s.month): (s.population, s.target, s.drawn) for s in sample.strata}
    assert stored == {
        key: (len(ids), math.ceil(len(ids) / 10), math.ceil(len(ids) / 10))
        for key, ids in strata.items()
    }


def test_the_month_is_the_local_month_of_closing():
    # 01:00 on 1 April in Beijing is still 31 March in UTC.
    make_closed_ticket(local(date(2026, 4, 1), "01:00"))
    sample = sampling.get_sample(db.session, draw(SPRING).id)
    assert [stratum.month for stratum in sample.strata] == ["2026-04"]


def test_the_share_is_rounded_up_in_exact_arithmetic():
    assert sampling.target_size(Decimal("0.1"), 30) == 3  # 0.1 * 30 in floats is 3.0000000000000004


def test_the_same_seed_redraws_the_same_sample(strata):
    sample = draw(SPRING, seed=20261123)
    assert sampling.redraw(db.session, sample).matches


def test_the_rule_is_a_pure_function_of_the_seed():
    candidates = {(1, "2026-03"): list(range(100, 200)), (None, "2026-03"): [7, 3, 5]}
    wanted = {(1, "2026-03"): 10, (None, "2026-03"): 1}
    assert sampling.choose(candidates, wanted, 42) == sampling.choose(candidates, wanted, 42)
    assert sampling.choose(candidates, wanted, 42) != sampling.choose(candidates, wanted, 43)


def test_the_rule_ignores_the_order_the_ids_come_in():
    wanted = {(1, "2026-03"): 3}
    ascending = sampling.choose({(1, "2026-03"): list(range(1, 40))}, wanted, 9)
    shuffled = sampling.choose({(1, "2026-03"): list(range(39, 0, -1))}, wanted, 9)
    assert ascending == shuffled


def test_a_second_draw_of_the_same_period_adds_nothing(strata):
    draw(SPRING)
    with pytest.raises(sampling.NothingToDraw):
        draw(SPRING, seed=1)
    assert db.session.scalar(select(func.count(ReturnVisit.id))) == 7


def test_an_overlapping_draw_only_tops_up(strata):
    first = draw((date(2026, 3, 1), date(2026, 4, 10)))  # 25 + 1 + 10 closed
    second = draw(SPRING, seed=5)  # adds the 11 closed on 28 April
    assert not sampled_ticket_ids(first) & sampled_ticket_ids(second)
    assert drawn_per_stratum(strata, second) == {
        key: (2 if key[1] == "2026-04" and len(ids) == 11 else 0) for key, ids in strata.items()
    }


def test_a_later_draw_counts_the_earlier_one_towards_the_month():
    outlet = make_outlet()
    make_closed_tickets(8, date(2026, 3, 5), outlet)
    draw((date(2026, 3, 1), date(2026, 3, 15)))  # 1 of 8
    make_closed_tickets(8, date(2026, 3, 25), outlet)
    second = draw(MARCH, seed=3)  # the month now has 16: ceil(1.6) = 2, one more
    assert second.sampled_count == 1


def test_only_closed_work_orders_are_sampled():
    closed = set(make_closed_tickets(3, date(2026, 3, 10)))
    open_one = make_ticket(received_at=local(date(2026, 3, 9)), now=local(date(2026, 3, 9)))
    cancelled = make_closed_ticket(local(date(2026, 3, 10)))
    db.session.execute(
        Ticket.__table__.update().where(Ticket.id == cancelled.id).values(state="cancelled")
    )
    db.session.commit()
    draw(MARCH, share="1")
    assert sampled_ticket_ids() == closed
    assert open_one.id not in sampled_ticket_ids()


def test_work_orders_closed_outside_the_period_are_left_out():
    inside = make_closed_ticket(local(date(2026, 3, 31), "23:59"))
    make_closed_ticket(local(date(2026, 4, 1), "00:00"))
    make_closed_ticket(local(date(2026, 2, 28), "23:59"))
    draw(MARCH, share="1")
    assert sampled_ticket_ids() == {inside.id}


def test_visits_copy_the_outlet_and_start_due():
    outlet = make_outlet()
    make_closed_ticket(local(date(2026, 3, 10)), outlet)
    draw(MARCH)
    visit = db.session.scalar(select(ReturnVisit))
    assert (visit.outlet_id, visit.state, visit.attempts, visit.outcome) == (
        outlet.id, "due", 0, None
    )


def test_an_empty_period_has_nothing_to_draw():
    with pytest.raises(sampling.NothingToDraw):
        draw(MARCH)


@pytest.mark.parametrize("share", ["0.05", "1.5", "ten"])
def test_a_share_outside_10_to_100_percent_is_refused_on_its_field(share):
    make_closed_tickets(3, date(2026, 3, 10))
    with pytest.raises(ValidationFailed) as refused:
        draw(MARCH, share=share)
    assert refused.value.field == "share"


def test_a_period_ending_in_the_future_is_refused_on_its_field():
    today = sampling.local_today()
    with pytest.raises(ValidationFailed) as refused:
        draw((today, date(today.year + 1, 1, 1)))
    assert refused.value.field == "to"


def test_a_drawing_without_a_seed_stores_the_one_it_used():
    make_closed_tickets(12, date(2026, 3, 10))
    sample = draw(MARCH, seed=None)
    assert 0 <= sample.seed <= MAX_SEED
    assert sampling.redraw(db.session, sample).matches


def test_drawing_takes_the_same_few_queries_for_any_number_of_work_orders(count_queries):
    def queries_to_draw(count: int, month: tuple[date, date]) -> int:
        make_closed_tickets(count, month[0])
        with count_queries() as statements:
            draw(month, share="1")
        return len([sql for sql in statements
                    if "tickets" in sql and sql.lstrip().startswith("SELECT")])

    assert queries_to_draw(3, MARCH) == queries_to_draw(40, APRIL) == 1


def test_the_sample_records_who_drew_it_and_counts():
    from tests.factories import make_user

    manager = make_user("manager")
    make_closed_tickets(12, date(2026, 3, 10))
    sample = draw(MARCH, actor=manager)
    assert (sample.drawn_by_id, sample.population, sample.sampled_count) == (manager.id, 12, 2)
    assert Counter(v.state for v in db.session.scalars(select(ReturnVisit))) == {"due": 2}
