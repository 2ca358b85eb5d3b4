"""Shared set-ups of the work-order tests."""

from datetime import date

import pytest

from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets import field_work, services
from tests.factories import (
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_ticket,
    make_user,
)


@pytest.fixture
def site():
    """A work order on site at an outlet, its product's part, five in stock."""
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
