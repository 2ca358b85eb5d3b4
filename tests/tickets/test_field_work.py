import base64

import pytest

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.extensions import db
from aftersales.tickets import field_work, services, stock
from aftersales.tickets.models import StockMovement
from tests.factories import (
    make_outlet,
    make_ticket,
    signature_png,
)

SIGNATURE = signature_png()


def test_using_a_part_takes_it_from_the_outlets_stock(site):
    ticket, part, technician, _ = site
    field_work.use_part(db.session, ticket, part.id, 2, technician)
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 3


def test_the_ledger_records_every_movement(site):
    ticket, part, technician, _ = site
    field_work.use_part(db.session, ticket, part.id, 2, technician)
    movements = db.session.query(
        StockMovement.quantity, StockMovement.kind, StockMovement.balance_after,
        StockMovement.ticket_id).order_by(StockMovement.id).all()
    assert movements == [(5, "receipt", 5, None), (-2, "use", 3, ticket.id)]


def test_stock_that_would_go_negative_is_refused_and_nothing_changes(site):
    ticket, part, technician, _ = site
    with pytest.raises(Conflict) as refused:
        field_work.use_part(db.session, ticket, part.id, 6, technician)
    assert refused.value.field == "quantity"
    assert "5" in str(refused.value.message)
    db.session.rollback()
    assert stock.stock_on_hand(db.session, ticket.outlet_id, part.id) == 5
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


def test_a_file_that_only_starts_like_a_png_is_refused():
    lying = field_work.PNG_MAGIC + b"but the rest is not an image"
    with pytest.raises(ValidationFailed):
        field_work.decode_signature("data:image/png;base64," + base64.b64encode(lying).decode())


def test_a_png_signature_data_url_is_decoded():
    url = "data:image/png;base64," + base64.b64encode(SIGNATURE).decode()
    assert field_work.decode_signature(url) == SIGNATURE


def test_parts_are_not_used_before_arrival():
    ticket = make_ticket(outlet_id=make_outlet().id)
    with pytest.raises(Conflict):
        field_work.use_part(db.session, ticket, 1, 1, None)
