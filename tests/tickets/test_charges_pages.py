"""The work-order page and API reconcile the charges with the quote the customer accepted."""

import pytest

from aftersales.extensions import db
from aftersales.tickets import field_work
from tests.conftest import csrf_from
from tests.factories import bearer, make_token

# The site's part costs ¥120 and its product's labour ¥80: one part makes ¥200 payable.
ACCEPTED_FEN = 18000


@pytest.fixture
def over_quote(site):
    """Paid work where the customer accepted ¥180 and a ¥120 part was then used."""
    ticket, part, technician, dispatcher = site
    ticket.warranty_status = "expired"
    field_work.quote(db.session, ticket, ACCEPTED_FEN, technician)
    field_work.accept_quote(db.session, ticket)
    field_work.use_part(db.session, ticket, part.id, 1, technician)
    db.session.commit()
    return ticket, technician


def _post(client, ticket, action, data):
    path = f"/tickets/{ticket.id}"
    return client.post(f"{path}/{action}", data={**data, "csrf_token": csrf_from(client, path)})


def test_the_page_names_the_product_model_and_serial(client, sign_in, site):
    ticket, _part, technician, _dispatcher = site
    sign_in(technician.username)
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert "WH0001" in page
    assert "2026-06-01" in page


def test_the_page_shows_the_total_payable(client, sign_in, over_quote):
    ticket, technician = over_quote
    sign_in(technician.username)
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert 'id="total-payable">¥200.00' in page


def test_the_page_warns_when_the_charges_exceed_the_accepted_quote(client, sign_in, over_quote):
    ticket, technician = over_quote
    sign_in(technician.username)
    assert 'id="over-quote"' in client.get(f"/tickets/{ticket.id}").get_data(as_text=True)


def test_finishing_over_the_accepted_quote_is_refused_on_the_page(client, sign_in, over_quote):
    ticket, technician = over_quote
    sign_in(technician.username)
    response = _post(client, ticket, "moves", {"to_state": "resolved"})
    assert response.status_code == 409
    db.session.refresh(ticket)
    assert ticket.state == "on_site"


def test_a_new_quote_accepted_lets_the_work_finish(client, sign_in, over_quote):
    ticket, technician = over_quote
    sign_in(technician.username)
    _post(client, ticket, "quote", {"amount": "200"})
    _post(client, ticket, "quote/acceptance", {})
    assert _post(client, ticket, "moves", {"to_state": "resolved"}).status_code == 302


def test_every_quote_stays_in_the_timeline(client, sign_in, over_quote):
    ticket, technician = over_quote
    sign_in(technician.username)
    _post(client, ticket, "quote", {"amount": "200"})
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    quotes = page.split('id="quotes"')[1].split("</ol>")[0]
    assert "¥180.00" in quotes and "¥200.00" in quotes


def test_finishing_over_the_accepted_quote_is_refused_through_the_api(client, over_quote):
    ticket, technician = over_quote
    response = client.post(f"/api/v1/tickets/{ticket.id}/moves", json={"to_state": "resolved"},
                           headers=bearer(make_token(technician)))
    assert response.status_code == 409


def test_a_part_on_paid_work_goes_back_to_the_charges(client, sign_in, site):
    ticket, part, technician, _dispatcher = site
    ticket.warranty_status = "expired"
    field_work.quote(db.session, ticket, ACCEPTED_FEN, technician)
    field_work.accept_quote(db.session, ticket)
    db.session.commit()
    sign_in(technician.username)
    response = _post(client, ticket, "parts", {"part_id": part.id, "quantity": 1})
    assert response.headers["Location"].endswith("#charges")


def test_the_api_gives_the_total_payable_and_says_it_exceeds_the_accepted_quote(
        client, over_quote):
    ticket, technician = over_quote
    response = client.get(f"/api/v1/tickets/{ticket.id}/charges",
                          headers=bearer(make_token(technician)))
    charges = response.get_json()
    assert (charges["parts_fen"], charges["labour_fen"], charges["total_fen"]) == (
        12000, 8000, 20000)
    assert (charges["quote_fen"], charges["exceeds_quote"]) == (ACCEPTED_FEN, True)


def test_the_api_lists_every_quote_and_its_acceptance(client, over_quote):
    ticket, technician = over_quote
    field_work.quote(db.session, ticket, 20000, technician)
    db.session.commit()
    response = client.get(f"/api/v1/tickets/{ticket.id}/charges",
                          headers=bearer(make_token(technician)))
    quotes = response.get_json()["quotes"]
    assert [(quote["amount_fen"], quote["accepted_at"] is not None) for quote in quotes] == [
        (ACCEPTED_FEN, True), (20000, False)]
