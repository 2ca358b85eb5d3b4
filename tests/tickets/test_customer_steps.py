"""The work order asks its customer to confirm steps from their own phone
(tickets/customer_steps.py) and shows and prints what they confirmed."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from aftersales.customers import attestations
from aftersales.customers.models import CustomerLink
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.tickets import customer_steps, record_sheet, services
from tests.conftest import csrf_from
from tests.factories import make_user


def _templates():
    return [m.template for m in db.session.scalars(select(OutgoingMessage)
                                                    .order_by(OutgoingMessage.id))]


def _confirm_arrival(ticket):
    token = customer_steps.ask(db.session, ticket, "confirm_arrival").rsplit("/", 1)[1]
    customer_steps.confirm(db.session, token, step="confirm_arrival", ticket_id=ticket.id,
                           user_agent="Mozilla/5.0 MicroMessenger")
    db.session.commit()


def test_arriving_on_site_asks_the_customer_to_confirm_it(site):
    assert _templates() == ["arrival_to_confirm"]


def test_finishing_asks_the_customer_to_confirm_and_rate(site):
    ticket, _part, technician, _ = site
    services.move_ticket(db.session, ticket, services.Move("resolved"), technician, False)
    assert _templates()[-1] == "completion_to_confirm"


def test_the_record_sheet_prints_what_the_customer_confirmed_and_how(site):
    ticket = site[0]
    _confirm_arrival(ticket)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        record_sheet.render(db.session, ticket))).pages)
    assert "确认到场" in text and "短信一次性链接" in text and "MicroMessenger" in text


def test_the_sheet_says_when_the_customer_confirmed_nothing(site):
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        record_sheet.render(db.session, site[0]))).pages)
    assert "客户未通过本人手机确认任何环节" in text


def test_the_work_order_page_shows_the_customers_confirmations(client, sign_in, site):
    ticket, _part, technician, _ = site
    _confirm_arrival(ticket)
    sign_in(technician.username)
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert 'id="customer-confirmations"' in page and "MicroMessenger" in page


def _share(client, ticket, step):
    return client.post(f"/tickets/{ticket.id}/customer-link", data={
        "csrf_token": csrf_from(client, f"/tickets/{ticket.id}"), "step": step})


def test_the_technician_shows_the_customer_a_qr_code_link(client, sign_in, site):
    ticket, _part, technician, _ = site
    sign_in(technician.username)
    page = _share(client, ticket, "confirm_arrival")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "data:image/svg+xml" in body and "/portal/c/" in body
    link = db.session.scalars(select(CustomerLink).where(
        CustomerLink.channel == "shared_link")).one()
    assert link.step == "confirm_arrival" and link.record_id == ticket.id


def test_a_link_for_a_step_not_yet_true_is_refused(client, sign_in, site):
    ticket, _part, technician, _ = site
    sign_in(technician.username)
    assert _share(client, ticket, "confirm_completion").status_code == 409
    assert not db.session.scalars(select(CustomerLink).where(
        CustomerLink.channel == "shared_link")).all()


def test_another_technician_cannot_show_a_link_for_the_work_order(client, sign_in, site):
    ticket = site[0]
    other = make_user("technician")
    sign_in(other.username)
    assert _share(client, ticket, "confirm_arrival").status_code in (403, 404)


def test_a_shared_link_is_recorded_as_shared_when_used(site):
    ticket = site[0]
    token = customer_steps.share(db.session, ticket, "confirm_arrival").rsplit("/", 1)[1]
    act = customer_steps.confirm(db.session, token, step="confirm_arrival", ticket_id=ticket.id,
                                 user_agent="")
    assert act.channel == "shared_link"
    assert attestations.acts_of(db.session, "ticket", [ticket.id])[ticket.id] == [act]
