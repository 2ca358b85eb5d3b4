"""Following a work order on the portal with a one-time code (portal/track_views.py)."""

import json

from sqlalchemy import select

from aftersales.customers.models import CustomerAct, CustomerCode
from aftersales.extensions import db
from aftersales.messaging import services as messaging
from aftersales.messaging.models import OutgoingMessage
from aftersales.tickets import customer_steps
from aftersales.tickets.models import ticket_number
from tests.conftest import csrf_from
from tests.factories import make_customer, make_ticket, make_user


def _ask_code(client, ticket_or_number, phone, address="127.0.0.1"):
    number = ticket_or_number if isinstance(ticket_or_number, str) \
        else ticket_number(ticket_or_number.id)
    return client.post("/portal/track", environ_base={"REMOTE_ADDR": address}, data={
        "csrf_token": csrf_from(client, "/portal/track"), "number": number, "phone": phone})


def _sent_code():
    message = db.session.scalars(select(OutgoingMessage).where(
        OutgoingMessage.template == "portal_code")).one()
    return json.loads(message.values_json)["code"]


def _enter(client, code):
    return client.post("/portal/track/code", data={
        "csrf_token": csrf_from(client, "/portal/track/code"), "code": code})


def _customer_ticket():
    customer = make_customer(phone="13900001111")
    return make_ticket(customer=customer)


def test_the_right_number_and_phone_get_a_code_and_open_the_progress(client):
    ticket = _customer_ticket()
    assert _ask_code(client, ticket, "139 0000 1111").status_code == 302
    assert _enter(client, _sent_code()).headers["Location"].endswith("/portal/track/progress")
    page = client.get("/portal/track/progress").get_data(as_text=True)
    assert ticket_number(ticket.id) in page and "13900001111" not in page
    act = db.session.scalars(select(CustomerAct)).one()
    assert (act.step, act.channel) == ("track", "portal_code")


def test_a_phone_that_is_not_on_file_gets_the_same_answer_and_no_code(client):
    ticket = _customer_ticket()
    matched = _ask_code(client, ticket, "13900001111")
    other = _ask_code(client, ticket, "13800002222")
    unknown = _ask_code(client, "WO99999999", "13900001111")
    assert matched.status_code == other.status_code == unknown.status_code == 302
    assert matched.headers["Location"] == other.headers["Location"] == unknown.headers["Location"]
    assert db.session.scalar(select(db.func.count()).select_from(CustomerCode)) == 1


def test_the_phone_typed_with_the_country_prefix_is_the_same_phone(client):
    _ask_code(client, _customer_ticket(), "+86 139-0000-1111")
    assert db.session.scalar(select(db.func.count()).select_from(CustomerCode)) == 1


def test_a_landline_on_file_with_its_hyphen_matches_the_digits_typed(client):
    ticket = make_ticket(customer=make_customer(phone="010-62345678"))
    _ask_code(client, ticket, "01062345678")
    assert db.session.scalar(select(db.func.count()).select_from(CustomerCode)) == 1


def test_the_country_prefix_does_not_make_a_new_phone_for_the_throttle(client, settings_changed):
    settings_changed("portal", lookups_per_window=3)
    ticket = _customer_ticket()
    typed = ["13900001111", "+8613900001111", "0086 139 0000 1111", "13900001111"]
    statuses = [_ask_code(client, ticket, phone, f"10.0.1.{n}").status_code
                for n, phone in enumerate(typed)]
    assert statuses == [302, 302, 302, 429]


def test_a_wrong_code_is_refused_and_counts_a_try(client):
    _ask_code(client, _customer_ticket(), "13900001111")
    code = _sent_code()
    refused = _enter(client, f"{(int(code) + 1) % 1_000_000:06d}")
    assert refused.status_code == 422
    assert db.session.scalars(select(CustomerCode)).one().failed_tries == 1
    assert client.get("/portal/track/progress").status_code == 302


def test_the_code_opens_the_work_order_once(client):
    _ask_code(client, _customer_ticket(), "13900001111")
    code = _sent_code()
    assert _enter(client, code).status_code == 302
    assert _enter(client, code).status_code == 422


def test_a_flood_of_code_requests_for_one_phone_is_throttled(client, settings_changed):
    """From a new address each time: the phone's own count stops it."""
    settings_changed("portal", lookups_per_window=3)
    ticket = _customer_ticket()
    statuses = [_ask_code(client, ticket, "13900001111", f"10.0.0.{n}").status_code
                for n in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_a_flood_of_code_requests_from_one_address_is_throttled(client, settings_changed):
    settings_changed("portal", lookups_per_window=3)
    statuses = [_ask_code(client, f"WO{n:08d}", f"1390000{n:04d}").status_code
                for n in range(1, 5)]
    assert statuses == [302, 302, 302, 429]


def test_the_customer_accepts_the_quote_on_the_progress_page(client):
    ticket = _customer_ticket()
    customer_steps.quote(db.session, ticket, 8800, make_user("technician"))
    db.session.commit()
    _ask_code(client, ticket, "13900001111")
    _enter(client, _sent_code())
    assert "88.00" in client.get("/portal/track/progress").get_data(as_text=True)
    client.post("/portal/track/quote", data={
        "csrf_token": csrf_from(client, "/portal/track/progress")})
    db.session.expire_all()
    assert db.session.get(type(ticket), ticket.id).quote_accepted_at is not None
    steps = set(db.session.scalars(select(CustomerAct.step)))
    assert steps == {"track", "accept_quote"}


def test_a_code_is_blanked_once_handed_over():
    _customer_ticket()
    customer = make_customer()
    message = messaging.send(db.session, template="portal_code", channel="sms", essential=True,
                             customer_id=customer.id, values={"code": "123456",
                                                              "number": "WO00000001"})
    messaging.record_delivered(message, "sent", "provider-1")
    assert "123456" not in message.text and "123456" not in message.values_json
