import itertools

import pytest

from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.extensions import db
from aftersales.tickets import field_work, services
from aftersales.tickets.labels import STATE_LABELS
from aftersales.tickets.models import STATES
from aftersales.tickets.services import TRANSITIONS, Move
from tests.factories import make_ticket, make_user, signature_png

# The shortest legal path from "new" to each state, to put a ticket there.
PATH_TO = {
    "new": [],
    "assigned": ["assigned"],
    "dispatched": ["assigned", "dispatched"],
    "on_site": ["assigned", "dispatched", "on_site"],
    "waiting_parts": ["assigned", "dispatched", "on_site", "waiting_parts"],
    "waiting_customer": ["assigned", "dispatched", "on_site", "waiting_customer"],
    "resolved": ["assigned", "dispatched", "on_site", "resolved"],
    "closed": ["assigned", "dispatched", "on_site", "resolved", "closed"],
    "cancelled": ["cancelled"],
}
SIGNATURE = signature_png()
ILLEGAL = [
    (current, wanted)
    for current, wanted in itertools.product(STATES, STATES)
    if wanted not in TRANSITIONS[current]
]


def step(ticket, to_state, actor, technician=None, may_dispatch=True):
    move = Move(to_state, technician_id=technician.id if technician else None, reason="客户取消")
    return services.move_ticket(db.session, ticket, move, actor, may_dispatch)


def ticket_in(state, dispatcher, technician):
    ticket = make_ticket()
    for to_state in PATH_TO[state]:
        if to_state == "closed":
            field_work.sign_off(db.session, ticket, "李雷", SIGNATURE, technician)
        step(ticket, to_state, dispatcher, technician)
    db.session.commit()
    return ticket


@pytest.fixture
def people():
    return make_user("dispatcher"), make_user("technician")


def test_every_state_is_reachable_by_a_legal_path(people):
    for state in STATES:
        assert ticket_in(state, *people).state == state


@pytest.mark.parametrize(("current", "wanted"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_clear_message(people, current, wanted):
    ticket = ticket_in(current, *people)
    with pytest.raises(Conflict) as refused:
        step(ticket, wanted, *people)
    assert refused.value.field == "to_state"
    message = str(refused.value.message)
    assert str(STATE_LABELS[current]) in message and str(STATE_LABELS[wanted]) in message
    db.session.rollback()
    assert db.session.get(type(ticket), ticket.id).state == current


def test_assigning_needs_an_active_technician(people):
    dispatcher, _technician = people
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as refused:
        step(ticket, "assigned", dispatcher, technician=make_user("agent"))
    assert refused.value.field == "technician_id"


def test_cancelling_needs_a_reason(people):
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as refused:
        services.move_ticket(db.session, ticket, Move("cancelled"), people[0], True)
    assert refused.value.field == "reason"


def test_the_assigned_technician_may_take_field_steps(people):
    dispatcher, technician = people
    ticket = ticket_in("dispatched", dispatcher, technician)
    step(ticket, "on_site", technician, may_dispatch=False)
    assert ticket.state == "on_site"


def test_another_technician_may_not_touch_the_work_order(people):
    ticket = ticket_in("dispatched", *people)
    with pytest.raises(PermissionDenied):
        step(ticket, "on_site", make_user("technician"), may_dispatch=False)


def test_a_technician_may_not_close_even_their_own_work_order(people):
    dispatcher, technician = people
    ticket = ticket_in("resolved", dispatcher, technician)
    with pytest.raises(PermissionDenied):
        step(ticket, "closed", technician, may_dispatch=False)


def test_every_step_is_on_the_timeline_with_its_actor(people):
    dispatcher, technician = people
    ticket = ticket_in("resolved", dispatcher, technician)
    timeline = services.get_ticket(db.session, ticket.id).events
    assert [e.to_state for e in timeline] == ["new", "assigned", "dispatched", "on_site",
                                              "resolved"]
    assert timeline[1].actor_label == dispatcher.username


def test_a_state_change_is_audited_under_its_name(people):
    from aftersales.core.models import AuditEntry

    ticket = ticket_in("assigned", *people)
    actions = [
        entry.action for entry in db.session.query(AuditEntry).filter_by(
            record_type="tickets", record_id=str(ticket.id)
        )
    ]
    assert actions == ["create", "state:assigned"]
