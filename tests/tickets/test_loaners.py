from datetime import date, datetime, timedelta

import pytest

from aftersales.core.clock import local_today
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.permissions import Scope
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets import field_work, loaners, services
from aftersales.tickets.models import Loaner
from tests.factories import bearer, make_outlet, make_ticket, make_token, make_user, signature_png

EVERYWHERE = Scope(everywhere=True)
SIGNATURE = signature_png()


def _unit(outlet_id, tag="LN-001", category="water_heater"):
    loaner = loaners.register_loaner(db.session, EVERYWHERE, outlet_id, tag, "备用热水器", category)
    db.session.commit()
    return loaner


def _in_a_week() -> date:
    return local_today() + timedelta(days=7)


def test_lending_takes_the_unit_off_the_shelf(site):
    ticket, _part, technician, _ = site
    unit = _unit(ticket.outlet_id)
    loan = loaners.lend(db.session, ticket, unit.id, _in_a_week(), technician)
    assert (unit.state, loan.returned_at) == ("lent", None)
    assert loaners.shelf_for(db.session, ticket) == []


def test_a_unit_already_lent_cannot_be_lent_again(site):
    ticket, _part, technician, dispatcher = site
    unit = _unit(ticket.outlet_id)
    loaners.lend(db.session, ticket, unit.id, _in_a_week(), technician)
    other = make_ticket(outlet_id=ticket.outlet_id)
    with pytest.raises(Conflict) as refused:
        loaners.lend(db.session, other, unit.id, _in_a_week(), dispatcher)
    assert refused.value.field == "loaner_id"


def test_a_work_order_holds_one_loaner_at_a_time(site):
    ticket, _part, technician, _ = site
    first, second = _unit(ticket.outlet_id, "LN-001"), _unit(ticket.outlet_id, "LN-002")
    loaners.lend(db.session, ticket, first.id, _in_a_week(), technician)
    with pytest.raises(Conflict):
        loaners.lend(db.session, ticket, second.id, _in_a_week(), technician)


def test_a_unit_of_another_outlet_is_not_found(site):
    ticket, _part, technician, _ = site
    elsewhere = _unit(make_outlet().id)
    with pytest.raises(NotFound):
        loaners.lend(db.session, ticket, elsewhere.id, _in_a_week(), technician)


@pytest.mark.parametrize("days", [-1, loaners.MAX_LOAN_DAYS + 1])
def test_the_due_date_is_between_today_and_the_longest_loan(site, days):
    ticket, _part, technician, _ = site
    unit = _unit(ticket.outlet_id)
    with pytest.raises(ValidationFailed) as refused:
        loaners.lend(db.session, ticket, unit.id, local_today() + timedelta(days=days), technician)
    assert refused.value.field == "due_back_on"


def test_taking_the_unit_back_returns_it_to_the_shelf(site):
    ticket, _part, technician, _ = site
    unit = _unit(ticket.outlet_id)
    loaners.lend(db.session, ticket, unit.id, _in_a_week(), technician)
    loan = loaners.take_back(db.session, ticket, "外壳完好")
    assert (unit.state, loan.returned_condition) == ("available", "外壳完好")
    assert loan.returned_at is not None


def test_the_shelf_shows_units_of_the_products_category_first(site):
    ticket, _part, _technician, _ = site
    category = customer_services.get_product(db.session, ticket.product_id).category
    _unit(ticket.outlet_id, "LN-A", category="washing_machine")
    _unit(ticket.outlet_id, "LN-B", category=category)
    tags = [unit.asset_tag for unit in loaners.shelf_for(db.session, ticket)]
    assert tags == ["LN-B", "LN-A"]


def test_a_work_order_does_not_close_while_the_customer_has_the_loaner(site):
    ticket, _part, technician, dispatcher = site
    unit = _unit(ticket.outlet_id)
    loaners.lend(db.session, ticket, unit.id, _in_a_week(), technician)
    services.move_ticket(db.session, ticket, services.Move("resolved"), technician, False)
    field_work.sign_off(db.session, ticket, "张伟", SIGNATURE, technician)
    with pytest.raises(Conflict) as refused:
        services.move_ticket(db.session, ticket, services.Move("closed"), dispatcher, True)
    assert (refused.value.field, ticket.state) == ("to_state", "resolved")
    loaners.take_back(db.session, ticket, "完好")
    services.move_ticket(db.session, ticket, services.Move("closed"), dispatcher, True)
    assert ticket.state == "closed"


def test_registering_a_unit_outside_ones_area_is_refused():
    outlet = make_outlet(region_code="310100")
    with pytest.raises(PermissionDenied):
        loaners.register_loaner(db.session, Scope(everywhere=False, outlet_ids=frozenset({999})),
                                outlet.id, "LN-9", "备用空调", None)


def test_a_duplicate_asset_tag_is_refused_with_the_field():
    outlet = make_outlet()
    _unit(outlet.id, "LN-001")
    with pytest.raises(Conflict) as refused:
        _unit(outlet.id, "LN-001")
    assert refused.value.field == "asset_tag"


def test_the_api_lends_and_takes_back(client, site):
    ticket, _part, technician, _ = site
    unit = _unit(ticket.outlet_id)
    headers = bearer(make_token(technician))
    lent = client.post(f"/api/v1/tickets/{ticket.id}/loans", headers=headers,
                       json={"loaner_id": unit.id, "due_back_on": _in_a_week().isoformat()})
    assert lent.status_code == 201, lent.json
    assert datetime.fromisoformat(lent.json["due_back_at"]) > datetime.fromisoformat(
        lent.json["lent_at"])
    back = client.post(f"/api/v1/tickets/{ticket.id}/loans/return", headers=headers,
                       json={"condition": "完好"})
    assert back.status_code == 200
    assert db.session.get(Loaner, unit.id).state == "available"


def test_the_api_refuses_an_unknown_field(client, site):
    ticket, _part, technician, _ = site
    response = client.post(f"/api/v1/tickets/{ticket.id}/loans",
                           headers=bearer(make_token(technician)),
                           json={"loaner_id": 1, "due_back_on": "2026-12-01", "colour": "red"})
    assert response.status_code == 422
    assert "colour" in str(response.json)


def test_a_dispatcher_registers_units_through_the_api(client):
    outlet = make_outlet()
    headers = bearer(make_token(make_user("dispatcher")))
    created = client.post("/api/v1/loaners", headers=headers, json={
        "outlet_id": outlet.id, "asset_tag": "LN-100", "description": "备用洗衣机"})
    assert created.status_code == 201
    listed = client.get(f"/api/v1/loaners?outlet_id={outlet.id}", headers=headers)
    assert [unit["asset_tag"] for unit in listed.json] == ["LN-100"]
