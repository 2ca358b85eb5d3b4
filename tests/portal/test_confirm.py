"""One-time links the customer confirms a work order's steps with (portal/confirm_views.py):
each works once, for its record and step, and a refusal changes nothing."""

from datetime import timedelta

from sqlalchemy import func, select

from aftersales.core.clock import utcnow
from aftersales.customers.models import CustomerAct, CustomerLink
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.tickets import customer_steps
from aftersales.tickets.models import ticket_number
from tests.conftest import csrf_from
from tests.factories import make_ticket, make_user

PHONE_UA = "Mozilla/5.0 (iPhone) MicroMessenger/8.0"


def _asked(ticket, step):
    address = customer_steps.ask(db.session, ticket, step)
    db.session.commit()
    return "/portal/c/" + address.rsplit("/", 1)[1]


def _quoted(amount_fen=15000):
    ticket = make_ticket()
    customer_steps.quote(db.session, ticket, amount_fen, make_user("technician"))
    db.session.commit()
    return ticket


def _quote_link(ticket):
    link = db.session.scalars(select(CustomerLink).order_by(CustomerLink.id.desc())).first()
    assert link.step == "accept_quote" and link.record_id == ticket.id
    return link


def _post(client, path, ticket, step, **extra):
    return client.post(path, data={"csrf_token": csrf_from(client, "/portal/track"),
                                   "step": step,
                                   "number": ticket_number(ticket.id), **extra},
                       headers={"User-Agent": PHONE_UA})


def _acts():
    return db.session.scalar(select(func.count()).select_from(CustomerAct))


def test_a_quote_sends_the_customer_a_link_by_sms():
    ticket = _quoted()
    message = db.session.scalars(select(OutgoingMessage)).one()
    assert message.template == "quote_to_accept" and message.customer_id == ticket.customer_id
    assert "/portal/c/" in message.text and "150.00" in message.text


def test_the_customer_accepts_the_quote_from_the_link(client):
    ticket = make_ticket()
    customer_steps.quote(db.session, ticket, 15000, make_user("technician"))
    path = _asked(ticket, "accept_quote")
    page = client.get(path)
    assert page.status_code == 200 and "150.00" in page.get_data(as_text=True)
    assert _post(client, path, ticket, "accept_quote").status_code == 200
    db.session.expire_all()
    assert db.session.get(type(ticket), ticket.id).quote_accepted_at is not None
    act = db.session.scalars(select(CustomerAct)).one()
    assert (act.step, act.channel, act.user_agent) == ("accept_quote", "sms_link", PHONE_UA)


def test_opening_a_link_spends_nothing(client):
    ticket = _quoted()
    path = _asked(ticket, "accept_quote")
    client.get(path)
    client.get(path)
    db.session.expire_all()
    assert _quote_link(ticket).used_at is None and _acts() == 0


def test_a_link_used_twice_is_refused_the_second_time_and_changes_nothing(client):
    client.get("/lang/en")
    ticket = _quoted()
    path = _asked(ticket, "accept_quote")
    assert _post(client, path, ticket, "accept_quote").status_code == 200
    again = _post(client, path, ticket, "accept_quote")
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)
    assert _acts() == 1
    assert client.get(path).status_code == 410


def test_an_expired_link_is_refused(client):
    ticket = _quoted()
    path = _asked(ticket, "accept_quote")
    _quote_link(ticket).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert _post(client, path, ticket, "accept_quote").status_code == 410
    assert _acts() == 0


def test_a_link_sent_for_another_work_order_is_refused(client):
    client.get("/lang/en")
    ticket, other = _quoted(), make_ticket()
    path = _asked(ticket, "accept_quote")
    refused = _post(client, path, other, "accept_quote")
    assert refused.status_code == 410 and "another record" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert _quote_link(ticket).used_at is None and _acts() == 0


def test_a_link_for_an_old_quote_does_not_accept_a_new_amount(client):
    ticket = _quoted(15000)
    path = _asked(ticket, "accept_quote")
    customer_steps.quote(db.session, ticket, 30000, make_user("technician"))
    db.session.commit()
    refused = _post(client, path, ticket, "accept_quote")
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(type(ticket), ticket.id).quote_accepted_at is None


def test_arrival_is_confirmed_only_once_the_technician_arrived(client):
    ticket = make_ticket()
    path = _asked(ticket, "confirm_arrival")
    assert _post(client, path, ticket, "confirm_arrival").status_code == 409
    ticket.arrived_at = utcnow()
    db.session.commit()
    assert _post(client, path, ticket, "confirm_arrival").status_code == 200


def test_completion_is_confirmed_with_a_rating(client):
    ticket = make_ticket()
    ticket.state, ticket.resolved_at = "resolved", utcnow()
    path = _asked(ticket, "confirm_completion")
    assert _post(client, path, ticket, "confirm_completion", rating="4").status_code == 200
    acts = {act.step: act.rating for act in db.session.scalars(select(CustomerAct))}
    assert acts == {"confirm_completion": None, "rate_service": 4}


def test_a_rating_out_of_range_names_the_field(client):
    ticket = make_ticket()
    ticket.state, ticket.resolved_at = "resolved", utcnow()
    path = _asked(ticket, "confirm_completion")
    refused = _post(client, path, ticket, "confirm_completion", rating="9")
    assert refused.status_code == 422 and _acts() == 0


def test_an_unknown_link_is_refused(client):
    assert client.get("/portal/c/not-a-token").status_code == 410


def test_a_flood_of_refused_confirmations_is_throttled(client, settings_changed):
    """Each refused try is rolled back, but its count is kept."""
    settings_changed("portal", lookups_per_window=3)
    ticket = make_ticket()
    statuses = [_post(client, "/portal/c/not-a-token", ticket, "accept_quote").status_code
                for _ in range(4)]
    assert statuses == [410, 410, 410, 429]
