import base64
from datetime import date

import pytest

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.extensions import db
from aftersales.tickets import field_work, services
from aftersales.tickets.models import StockMovement
from tests.factories import (
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_ticket,
    make_user,
)

SIGNATURE = field_work.PNG_MAGIC + b"a drawn signature"


@pytest.fixture
def site():
    """A work order on site at an outlet, its product's part, five in stock."""
    from aftersales.customers import services as customer_services

    outlet = make_outlet()
    product = make_product(warranty_months=12)
    part = customer_services.create_part(db.session, product.id, "P-1", "温控器", "main", 12000)
    field_work.receive_stock(db.session, outlet.id, part.id, 5, None)
    customer = make_customer()
    make_serial(serial="WH0001", product=product, customer=customer, sold_on=date(2026, 6, 1))
    dispatcher, technician = make_user("dispatcher"), make_user("technician")
    ticket = make_ticket(customer=customer, serial="WH0001", outlet_id=outlet.id)
    for to_state in ("assigned", "dispatched", "on_site"):
        move = services.Move(to_state, technician_id=technician.id)
        services.move_ticket(db.session, ticket, move, dispatcher, True)
    db.session.commit()
    return ticket, part, technician, dispatcher


def test_using_a_part_takes_it_from_the_outlets_stock(site):
    ticket, part, technician, _ = site
    field_work.use_part(db.session, ticket, part.id, 2, technician)
    assert field_work.stock_on_hand(db.session, ticket.outlet_id, part.id) == 3


def test_the_ledger_records_every_movement(site):
    ticket, part, technician, _ = site
    field_work.use_part(db.session, ticket, part.id, 2, technician)
    movements = db.session.query(StockMovement.quantity, StockMovement.reason).order_by(
        StockMovement.id).all()
    assert movements == [(5, "receipt"), (-2, "used")]


def test_stock_that_would_go_negative_is_refused_and_nothing_changes(site):
    ticket, part, technician, _ = site
    with pytest.raises(Conflict) as refused:
        field_work.use_part(db.session, ticket, part.id, 6, technician)
    assert refused.value.field == "quantity"
    assert "5" in str(refused.value.message)
    db.session.rollback()
    assert field_work.stock_on_hand(db.session, ticket.outlet_id, part.id) == 5
    assert db.session.query(StockMovement).count() == 1


def test_a_part_under_warranty_is_not_charged(site):
    ticket, part, technician, _ = site
    used = field_work.use_part(db.session, ticket, part.id, 1, technician)
    assert (used.charged, used.unit_price_fen) == (False, 12000)


def test_out_of_warranty_parts_wait_for_the_accepted_quote(site):
    ticket, part, technician, _ = site
    ticket.warranty_status = "expired"
    with pytest.raises(Conflict):
        field_work.use_part(db.session, ticket, part.id, 1, technician)
    field_work.quote(db.session, ticket, 20000)
    field_work.accept_quote(db.session, ticket)
    assert field_work.use_part(db.session, ticket, part.id, 1, technician).charged is True


def test_paid_work_cannot_be_resolved_before_the_quote_is_accepted(site):
    ticket, _part, _technician, dispatcher = site
    ticket.warranty_status = "expired"
    field_work.quote(db.session, ticket, 8000)
    with pytest.raises(Conflict) as refused:
        services.move_ticket(db.session, ticket, services.Move("resolved"), dispatcher, True)
    assert refused.value.field == "to_state"


def test_a_new_quote_needs_a_new_acceptance(site):
    ticket = site[0]
    field_work.quote(db.session, ticket, 8000)
    field_work.accept_quote(db.session, ticket)
    field_work.quote(db.session, ticket, 9000)
    assert ticket.quote_accepted_at is None


def test_a_work_order_closes_only_after_the_customer_signed(site):
    ticket, _part, technician, dispatcher = site
    services.move_ticket(db.session, ticket, services.Move("resolved"), dispatcher, True)
    with pytest.raises(Conflict):
        services.move_ticket(db.session, ticket, services.Move("closed"), dispatcher, True)
    field_work.sign_off(db.session, ticket, "李雷", SIGNATURE, technician)
    services.move_ticket(db.session, ticket, services.Move("closed"), dispatcher, True)
    assert ticket.state == "closed"


def test_a_signature_that_is_not_a_png_is_refused():
    fake = "data:image/png;base64," + base64.b64encode(b"GIF89a not a png").decode()
    with pytest.raises(ValidationFailed) as refused:
        field_work.decode_signature(fake)
    assert refused.value.field == "signature"


def test_a_png_signature_data_url_is_decoded():
    url = "data:image/png;base64," + base64.b64encode(SIGNATURE).decode()
    assert field_work.decode_signature(url) == SIGNATURE


def test_parts_are_not_used_before_arrival():
    ticket = make_ticket(outlet_id=make_outlet().id)
    with pytest.raises(Conflict):
        field_work.use_part(db.session, ticket, 1, 1, None)
