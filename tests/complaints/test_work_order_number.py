"""The intake form's work order is typed as people write it: as displayed (WO00000731),
short (wo731) or bare (731); a number naming no work order in sight is refused."""

import pytest
from sqlalchemy import select

from aftersales.complaints.models import Complaint
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import make_customer, make_ticket, make_user


def _intake(client, customer, typed: str):
    token = csrf_from(client, f"/complaints/new?customer_id={customer.id}")
    return client.post("/complaints/new", data={
        "customer_id": customer.id, "channel": "hotline", "category": "repair_quality",
        "summary": "修不好", "description": "修了三次", "ticket_id": typed,
        "csrf_token": token})


@pytest.mark.parametrize("written", ["{number}", "{short}", "{bare}"])
def test_the_work_order_is_linked_by_its_number_as_typed(client, sign_in, written):
    make_user("agent", username="zhangmin")
    customer = make_customer()
    ticket = make_ticket(customer)
    sign_in("zhangmin")
    typed = written.format(number=ticket.number, short=f"wo{ticket.id}", bare=str(ticket.id))
    assert _intake(client, customer, typed).status_code == 302
    assert db.session.scalar(select(Complaint.ticket_id)) == ticket.id


def test_a_number_of_no_work_order_is_refused_plainly(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    response = _intake(client, customer, "WO00009999")
    assert response.status_code == 404
    assert 'class="form-error" role="alert"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Complaint.id)) is None
