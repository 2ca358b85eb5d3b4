"""The certificate gate on assignment, the suggestion ranking and the dispatch board."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales.core.clock import local_today, utcnow
from aftersales.core.errors import Conflict, PermissionDenied
from aftersales.core.permissions import Scope
from aftersales.extensions import db
from aftersales.tickets import dispatch, services
from aftersales.tickets.models import DispatchOverride
from tests.conftest import csrf_from
from tests.factories import make_outlet, make_ticket, make_user
from tests.tickets.dispatch_helpers import certified_technician, gas_stove_job, working_around
from tests.tickets.stamp_helpers import located_customer

EVERYWHERE = Scope(everywhere=True)


def _assign(ticket, technician, actor, override_reason=None, may_override=False):
    move = services.Move("assigned", technician_id=technician.id, override_reason=override_reason)
    return services.move_ticket(db.session, ticket, move, actor, True, may_override=may_override)


def test_a_technician_without_the_required_certificate_is_refused_with_a_reason():
    ticket = gas_stove_job()
    with pytest.raises(Conflict) as refused:
        _assign(ticket, certified_technician(certified=False), make_user("dispatcher"))
    assert refused.value.field == "technician_id"
    assert ticket.technician_id is None


def test_a_certified_technician_is_assigned():
    ticket = gas_stove_job()
    technician = certified_technician()
    _assign(ticket, technician, make_user("dispatcher"))
    assert (ticket.state, ticket.technician_id) == ("assigned", technician.id)


def test_an_expired_certificate_does_not_qualify():
    ticket = gas_stove_job()
    with pytest.raises(Conflict):
        _assign(ticket, certified_technician(certificate_expires=local_today() - timedelta(days=1)),
                make_user("dispatcher"))


def test_work_no_rule_covers_needs_no_certificate():
    ticket = make_ticket()
    technician = make_user("technician")
    _assign(ticket, technician, make_user("dispatcher"))
    assert ticket.technician_id == technician.id


def test_a_manager_overrides_with_a_reason_and_the_override_is_kept():
    ticket = gas_stove_job()
    technician, manager = certified_technician(certified=False), make_user("manager")
    _assign(ticket, technician, manager, override_reason="持证师傅休假，带班师傅现场监护",
            may_override=True)
    db.session.commit()
    kept = db.session.scalar(select(DispatchOverride))
    assert (kept.ticket_id, kept.technician_id, kept.missing, kept.decided_by_id) == (
        ticket.id, technician.id, "gas", manager.id)
    assert ticket.technician_id == technician.id


def test_only_a_manager_may_override():
    ticket = gas_stove_job()
    with pytest.raises(PermissionDenied) as refused:
        _assign(ticket, certified_technician(certified=False), make_user("dispatcher"),
                override_reason="急单", may_override=False)
    assert refused.value.field == "override_reason"


def test_the_suggestion_puts_the_nearer_technician_first():
    ticket = make_ticket(customer=located_customer())
    near_outlet = make_outlet(latitude="39.910000", longitude="116.400000")
    far_outlet = make_outlet(latitude="39.990000", longitude="116.300000")
    near, far = working_around(near_outlet), working_around(far_outlet)
    crew = dispatch.technicians(db.session, EVERYWHERE, utcnow(), local_today())
    ranked = dispatch.suggest(db.session, ticket, crew)
    assert [c.technician.id for c in ranked] == [near.id, far.id]
    assert ranked[0].distance_km < 1 < ranked[1].distance_km


def test_a_busy_technician_ranks_after_a_free_one_a_little_further_away():
    outlet_a = make_outlet(latitude="39.910000", longitude="116.400000")
    outlet_b = make_outlet(latitude="39.930000", longitude="116.400000")  # about 2.4 km on
    busy, free = working_around(outlet_a), working_around(outlet_b)
    dispatcher = make_user("dispatcher")
    for _ in range(2):
        _assign(make_ticket(outlet_id=outlet_a.id), busy, dispatcher)
    ticket = make_ticket(customer=located_customer())
    crew = dispatch.technicians(db.session, EVERYWHERE, utcnow(), local_today())
    ranked = dispatch.suggest(db.session, ticket, crew)
    assert [c.technician.id for c in ranked] == [free.id, busy.id]
    assert ranked[1].technician.open_load == 2


def test_unqualified_technicians_come_after_every_qualified_one():
    ticket = gas_stove_job()
    near_outlet = make_outlet(latitude="39.909000", longitude="116.398000")
    far_outlet = make_outlet(latitude="40.200000", longitude="116.700000")
    unqualified = working_around(
        near_outlet, user=certified_technician(certified=False, outlet_id=near_outlet.id))
    qualified = working_around(far_outlet, user=certified_technician(outlet_id=far_outlet.id))
    crew = dispatch.technicians(db.session, EVERYWHERE, utcnow(), local_today())
    ranked = dispatch.suggest(db.session, ticket, crew)
    assert [(c.technician.id, c.missing) for c in ranked] == [
        (qualified.id, []), (unqualified.id, ["gas"])]


def test_a_technician_of_another_outlet_is_not_suggested():
    ticket = make_ticket(customer=located_customer())
    elsewhere = make_user("technician", outlet_id=make_outlet(latitude="39.910000",
                                                              longitude="116.400000").id)
    crew = dispatch.technicians(db.session, EVERYWHERE, utcnow(), local_today())
    assert elsewhere.id not in [c.technician.id for c in dispatch.suggest(db.session, ticket,
                                                                          crew)]


def test_a_scoped_dispatcher_sees_only_technicians_of_their_outlets():
    mine, other = make_outlet(), make_outlet(region_code="310100")
    local = make_user("technician", outlet_id=mine.id)
    make_user("technician", outlet_id=other.id)
    crew = dispatch.technicians(db.session, Scope(everywhere=False, outlet_ids=frozenset(
        {mine.id})), utcnow(), local_today())
    assert [technician.id for technician in crew] == [local.id]


def test_the_board_lists_new_work_orders_and_those_about_to_miss_their_clock():
    waiting = make_ticket()
    late = make_ticket(priority="emergency", now=utcnow() - timedelta(hours=1, minutes=50))
    _assign(late, make_user("technician"), make_user("dispatcher"))
    db.session.commit()
    board = dispatch.board(db.session, EVERYWHERE, utcnow(), local_today())
    assert [t.id for t in board.unassigned] == [waiting.id]
    assert [t.id for t in board.at_risk] == [late.id]


def test_a_company_wide_board_lists_the_crews_of_the_outlets_with_work_on_it():
    busy, idle = make_outlet(), make_outlet(region_code="310100")
    crew = make_user("technician", outlet_id=busy.id)
    make_user("technician", outlet_id=idle.id)
    make_ticket(outlet_id=busy.id)
    board = dispatch.board(db.session, EVERYWHERE, utcnow(), local_today())
    assert [technician.id for technician in board.technicians] == [crew.id]


def test_the_board_page_takes_as_many_statements_for_12_orders_as_for_2(client, sign_in,
                                                                        count_queries):
    make_user("dispatcher", username="liuyang")
    sign_in("liuyang")

    def statements_for(orders: int) -> int:
        for number in range(orders):
            outlet = make_outlet()
            make_user("technician", outlet_id=outlet.id)
            make_ticket(outlet_id=outlet.id, type=("repair", "installation")[number % 2])
        with count_queries() as statements:
            assert client.get("/dispatch").status_code == 200
        return len(statements)

    assert statements_for(2) == statements_for(12)


def test_the_board_page_assigns_and_explains_a_refusal(client, sign_in):
    ticket = gas_stove_job()
    certified, uncertified = certified_technician(), certified_technician(certified=False)
    make_user("dispatcher", username="liuyang")
    db.session.commit()
    sign_in("liuyang")
    page = client.get("/dispatch").get_data(as_text=True)
    assert ticket.number in page
    token = csrf_from(client, "/dispatch")
    refused = client.post(f"/dispatch/{ticket.id}/assign",
                          data={"technician_id": uncertified.id, "csrf_token": token})
    assert refused.status_code == 409
    assert "field-error" in refused.get_data(as_text=True)
    assigned = client.post(f"/dispatch/{ticket.id}/assign",
                           data={"technician_id": certified.id, "csrf_token": token})
    assert assigned.status_code == 302
    assert services.get_ticket(db.session, ticket.id).technician_id == certified.id


def test_the_board_map_gives_orders_at_one_address_one_mark(client, sign_in):
    customer = located_customer()
    first = make_ticket(customer=customer)
    make_ticket(customer=customer)
    make_user("dispatcher", username="liuyang")
    db.session.commit()
    sign_in("liuyang")
    page = client.get("/dispatch").get_data(as_text=True)
    board_map = page.split('id="dispatch-map"')[1].split("</svg>")[0]
    assert board_map.count('class="chart-place order"') == 1
    assert f'href="#ticket-{first.id}"' in board_map and first.number in board_map


def test_the_board_map_names_an_order_a_technician_stands_beside(client, sign_in):
    ticket = gas_stove_job()
    beside = make_outlet(latitude=ticket.service_latitude, longitude=ticket.service_longitude)
    technician = working_around(beside)
    make_user("dispatcher", username="liuyang")
    db.session.commit()
    sign_in("liuyang")
    page = client.get("/dispatch").get_data(as_text=True)
    board_map = page.split('id="dispatch-map"')[1].split("</svg>")[0]
    assert f">{ticket.number}</text>" in board_map
    assert f">{technician.display_name}</text>" not in board_map  # in its mark's title only
    assert f"<title>{technician.display_name}</title>" in board_map
