"""The outbox page and the desk's opt-out API through HTTP."""

from aftersales.extensions import db
from aftersales.messaging import services
from aftersales.messaging.labels import Channel
from tests.factories import bearer, make_customer, make_token, make_user


def _queue(customer, number="WO-2026-0042", channel=Channel.SMS, address=None):
    services.send(db.session, template="work_order_received", values={"number": number},
                  channel=channel, essential=True, customer_id=customer.id, address=address,
                  language="en")
    db.session.commit()


def test_the_outbox_shows_messages_newest_first_with_the_phone_masked(client, sign_in):
    customer = make_customer(phone="13912345678")
    _queue(customer, "WO-OLDER")
    _queue(customer, "WO-NEWER")
    make_user("admin", username="admin1")
    sign_in("admin1")
    page = client.get("/messaging/outbox").get_data(as_text=True)
    assert page.index("WO-NEWER") < page.index("WO-OLDER")
    assert "139****5678" in page and "13912345678" not in page


def test_the_outbox_filters_by_channel(client, sign_in):
    customer = make_customer()
    _queue(customer, "WO-BY-SMS")
    _queue(customer, "WO-BY-MAIL", channel=Channel.EMAIL, address="wang.fang@example.com")
    make_user("manager", username="manager1")
    sign_in("manager1")
    page = client.get("/messaging/outbox?channel=email").get_data(as_text=True)
    assert "WO-BY-MAIL" in page and "WO-BY-SMS" not in page
    assert "w***@example.com" in page and "wang.fang@example.com" not in page


def test_the_outbox_pages_on(client, sign_in):
    customer = make_customer()
    for number in range(31):
        _queue(customer, f"WO-{number:04d}")
    make_user("admin", username="admin1")
    sign_in("admin1")
    first = client.get("/messaging/outbox").get_data(as_text=True)
    assert "WO-0030" in first and "WO-0000" not in first and "cursor=" in first


def test_an_agent_may_not_read_the_outbox(client, sign_in):
    make_user("agent", username="agent1")
    sign_in("agent1")
    assert client.get("/messaging/outbox").status_code == 403


def test_the_desk_records_that_a_customer_opts_out(client):
    customer = make_customer()
    headers = bearer(make_token(make_user("agent")))
    response = client.post("/api/v1/messaging/preferences", headers=headers,
                           json={"customer_id": customer.id, "opted_out": True})
    assert response.status_code == 200, response.json
    assert services.is_opted_out(db.session, customer.id)


def test_opting_out_a_customer_who_is_not_there_is_not_found(client):
    headers = bearer(make_token(make_user("agent")))
    response = client.post("/api/v1/messaging/preferences", headers=headers,
                           json={"customer_id": 999999, "opted_out": True})
    assert response.status_code == 404
