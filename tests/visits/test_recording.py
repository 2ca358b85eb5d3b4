"""Recording a return visit: the score, the follow-up of a dissatisfied answer, the
attempts of a customer who does not answer."""

from datetime import date

import pytest
from sqlalchemy import func, select

from aftersales.core.audit import record_history
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from aftersales.visits import services
from tests.factories import make_customer, make_outlet, make_serial, make_user
from tests.visits.factories import make_visit


@pytest.fixture
def agent():
    return make_user("agent")


def record(visit, agent, outcome, satisfaction=None, comment=""):
    services.record_visit(db.session, visit, agent, outcome, satisfaction, comment)
    db.session.commit()
    return visit


def tickets() -> int:
    return db.session.scalar(select(func.count(Ticket.id)))


def test_a_reached_visit_without_a_score_is_refused_on_its_field(agent):
    visit = make_visit()
    with pytest.raises(ValidationFailed) as refused:
        services.record_visit(db.session, visit, agent, "reached", None)
    assert refused.value.field == "satisfaction"


@pytest.mark.parametrize("score", [0, 6, "5.0", True])
def test_a_score_outside_1_to_5_is_refused_on_its_field(agent, score):
    visit = make_visit()
    with pytest.raises(ValidationFailed) as refused:
        services.record_visit(db.session, visit, agent, "reached", score)
    assert refused.value.field == "satisfaction"


def test_a_customer_not_reached_gives_no_score(agent):
    visit = make_visit()
    with pytest.raises(ValidationFailed) as refused:
        services.record_visit(db.session, visit, agent, "not_reached", 4)
    assert refused.value.field == "satisfaction"


def test_an_unknown_outcome_is_refused_on_its_field(agent):
    visit = make_visit()
    with pytest.raises(ValidationFailed) as refused:
        services.record_visit(db.session, visit, agent, "voicemail")
    assert refused.value.field == "outcome"


def test_a_satisfied_customer_closes_the_visit(agent):
    visit = record(make_visit(), agent, "reached", 4, "很满意")
    assert (visit.state, visit.outcome, visit.satisfaction, visit.comment) == (
        "done", "reached", 4, "很满意"
    )
    assert (visit.called_by_id, visit.attempts, visit.follow_up_ticket_id) == (agent.id, 1, None)


def test_a_dissatisfied_answer_opens_exactly_one_linked_follow_up(agent):
    visit = make_visit()
    before = tickets()
    record(visit, agent, "reached", 2, "修完三天又坏了")
    assert tickets() == before + 1
    follow_up = db.session.get(Ticket, visit.follow_up_ticket_id)
    assert follow_up.id == db.session.scalar(select(func.max(Ticket.id)))


def test_the_follow_up_is_for_the_same_customer_and_unit(agent):
    customer = make_customer(name="李雷")
    unit = make_serial(customer=customer)
    outlet = make_outlet()
    visit = make_visit(customer=customer, outlet=outlet, serial=unit.serial)
    record(visit, agent, "reached", 1, "根本没修好")
    follow_up = db.session.get(Ticket, visit.follow_up_ticket_id)
    assert (follow_up.customer_id, follow_up.serial_id, follow_up.outlet_id) == (
        customer.id, unit.id, outlet.id
    )
    assert (follow_up.type, follow_up.priority, follow_up.state) == ("repair", "normal", "new")
    assert "根本没修好" in follow_up.description


def test_the_follow_up_of_an_installation_is_an_installation(agent):
    visit = record(make_visit(type="installation"), agent, "reached", 1)
    assert db.session.get(Ticket, visit.follow_up_ticket_id).type == "installation"


def test_a_score_of_3_opens_no_follow_up(agent):
    visit = make_visit()
    before = tickets()
    record(visit, agent, "reached", 3)
    assert (tickets(), visit.follow_up_ticket_id) == (before, None)


def test_not_reached_keeps_the_visit_due_and_counts_the_attempt(agent):
    visit = record(make_visit(), agent, "not_reached", comment="关机")
    assert (visit.state, visit.outcome, visit.attempts) == ("due", None, 1)


def test_not_reached_three_times_closes_the_visit(agent):
    visit = make_visit()
    for _ in range(3):
        record(visit, agent, "not_reached")
    assert (visit.state, visit.outcome, visit.attempts) == ("done", "not_reached", 3)


def test_reached_on_the_second_call(agent):
    visit = record(make_visit(), agent, "not_reached")
    record(visit, agent, "reached", 5)
    assert (visit.state, visit.satisfaction, visit.attempts) == ("done", 5, 2)


def test_a_refusal_closes_the_visit_without_a_score(agent):
    visit = record(make_visit(), agent, "refused", comment="不想回答")
    assert (visit.state, visit.outcome, visit.satisfaction) == ("done", "refused", None)


def test_a_done_visit_is_not_recorded_again(agent):
    visit = record(make_visit(), agent, "reached", 5)
    with pytest.raises(Conflict):
        services.record_visit(db.session, visit, agent, "reached", 1)


def test_a_comment_longer_than_2000_characters_is_refused_on_its_field(agent):
    visit = make_visit()
    with pytest.raises(ValidationFailed) as refused:
        services.record_visit(db.session, visit, agent, "refused", None, "长" * 2001)
    assert refused.value.field == "comment"


def test_each_call_is_one_named_audit_entry(agent):
    visit = make_visit(closed_on=date(2026, 3, 12))
    record(visit, agent, "not_reached")
    record(visit, agent, "reached", 2)
    history = record_history(db.session, "return_visits", str(visit.id), None, 10).items
    assert [entry.action for entry in reversed(history)] == [
        "create", "visit:not_reached", "visit:reached"
    ]
