"""Phones on the desk pages: a tap to call for the roles that reach customers, masked for
those who only check records (auditor, administrator), as the API and the sheets do."""

import pytest

from tests.calls.factories import make_call
from tests.complaints.factories import make_complaint
from tests.factories import make_customer, make_ticket, make_user

PHONE, MASKED = "13800001111", "138****1111"


def pages():
    customer = make_customer(name="李雷", phone=PHONE)
    ticket = make_ticket(customer=customer)
    complaint = make_complaint(customer=customer)
    make_call(PHONE)
    return [f"/tickets/{ticket.id}", f"/complaints/{complaint.id}", "/calls"]


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_those_who_check_records_see_the_phone_masked(client, sign_in, role):
    paths = pages()
    sign_in(make_user(role).username)
    for path in paths:
        page = client.get(path).get_data(as_text=True)
        assert PHONE not in page and MASKED in page, path


def test_those_who_reach_customers_can_tap_to_call(client, sign_in):
    paths = pages()
    sign_in(make_user("manager").username)
    for path in paths:
        assert f'href="tel:{PHONE}"' in client.get(path).get_data(as_text=True), path
