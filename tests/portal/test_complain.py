"""Complaining from the portal (portal/complaint_views.py): recorded through the complaints
desk's intake, channel portal, its clocks started when the form arrived; the customer found
by phone or made, never overwritten; a work-order number revealed by no answer; an SMS with
the complaint's number; throttled per address and per phone; bad input names its field."""

import json
from datetime import timedelta

from sqlalchemy import select

from aftersales.complaints.models import Complaint, ComplaintClock
from aftersales.core import audit, settings
from aftersales.core.clock import local_today, utcnow
from aftersales.core.models import AuditEntry
from aftersales.customers.models import Customer, CustomerAct
from aftersales.evidence.compliance.registry import Period, registered
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.tickets.models import ticket_number
from tests.conftest import csrf_from
from tests.factories import make_customer, make_ticket, make_user

PATH = "/portal/complain"


def _complain(client, address="127.0.0.1", **values):
    form = {"name": "李雷", "phone": "13900001111", "number": "",
            "category": "service_attitude", "description": "师傅迟到两小时，态度很差。",
            **values}
    return client.post(PATH, environ_base={"REMOTE_ADDR": address},
                       data={"csrf_token": csrf_from(client, PATH), **form})


def _complaint() -> Complaint:
    return db.session.scalars(select(Complaint)).one()


def test_anyone_opens_the_form(client):
    response = client.get(PATH)
    assert response.status_code == 200 and 'name="description"' in response.get_data(as_text=True)


def test_a_complaint_lands_on_the_portal_channel(client):
    assert _complain(client).headers["Location"].endswith("/portal/complain/received")
    complaint = _complaint()
    assert (complaint.channel, complaint.category) == ("portal", "service_attitude")
    assert complaint.description.startswith("师傅迟到两小时")


def test_its_clocks_start_when_the_form_arrives(client):
    before = utcnow()
    _complain(client, received_at="2020-01-01T00:00:00+08:00")
    complaint = _complaint()
    assert before <= complaint.received_at <= utcnow()
    clocks = db.session.scalars(select(ComplaintClock)).all()
    assert {clock.started_at for clock in clocks} == {complaint.received_at}


def test_the_received_page_names_the_complaint_and_the_hotline(client):
    _complain(client)
    page = client.get(f"{PATH}/received").get_data(as_text=True)
    assert _complaint().number in page and settings.platform().service_hotline in page


def test_an_sms_with_the_complaint_number_is_queued(client):
    _complain(client)
    message = db.session.scalars(select(OutgoingMessage)).one()
    assert (message.template, message.channel, message.recipient) == (
        "complaint_received", "sms", "13900001111")
    assert json.loads(message.values_json)["number"] == _complaint().number


def test_the_audit_trail_names_the_customer_on_the_portal(client):
    _complain(client)
    labels = set(db.session.scalars(select(AuditEntry.actor_label).where(
        AuditEntry.record_type == "complaints")))
    assert labels == {audit.PORTAL_CUSTOMER.label}


def test_it_is_the_customers_act_of_complaining_online(client):
    """What the online-service figure (5.3.1.2) counts."""
    _complain(client)
    act = db.session.scalars(select(CustomerAct)).one()
    assert (act.step, act.channel, act.record_type, act.record_id) == (
        "complain", "portal_form", "complaint", _complaint().id)


def test_a_new_phone_becomes_a_new_customer(client):
    _complain(client, phone="139 0000 2222", name="韩梅梅")
    customer = db.session.get(Customer, _complaint().customer_id)
    assert (customer.name, customer.phone) == ("韩梅梅", "13900002222")


def test_a_known_phone_keeps_its_customer_record(client):
    known = make_customer(name="张伟", phone="13900001111")
    _complain(client, name="张三")
    db.session.expire_all()
    assert _complaint().customer_id == known.id
    assert db.session.get(Customer, known.id).name == "张伟"
    assert "张三" in _complaint().description


def test_the_phones_own_work_order_is_linked(client):
    ticket = make_ticket(customer=make_customer(phone="13900001111"))
    _complain(client, number=ticket_number(ticket.id))
    assert _complaint().ticket_id == ticket.id


def test_another_phones_work_order_is_not_linked_and_answers_the_same(client):
    other = make_ticket(customer=make_customer(phone="13800003333"))
    foreign = _complain(client, number=ticket_number(other.id))
    unknown = _complain(client, number="WO99999999", phone="13900004444")
    assert foreign.status_code == unknown.status_code == 302
    assert foreign.headers["Location"] == unknown.headers["Location"]
    assert db.session.scalars(select(Complaint.ticket_id)).all() == [None, None]


def test_a_missing_description_is_refused_naming_the_field(client):
    response = _complain(client, description="  ")
    assert response.status_code == 422
    assert 'id="e-description"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Complaint.id)) is None


def test_an_unknown_category_is_refused_naming_the_field(client):
    response = _complain(client, category="nonsense")
    assert response.status_code == 422 and 'id="e-category"' in response.get_data(as_text=True)


def test_a_phone_that_is_no_number_is_refused_naming_the_field(client):
    response = _complain(client, phone="12345")
    assert response.status_code == 422 and 'id="e-phone"' in response.get_data(as_text=True)


def test_a_malformed_work_order_number_is_refused_naming_the_field(client):
    response = _complain(client, number="WO-12-AB")
    assert response.status_code == 422 and 'id="e-number"' in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client):
    response = client.post(PATH, data={"name": "李雷", "phone": "13900001111",
                                       "category": "other", "description": "x"})
    assert response.status_code == 400
    assert db.session.scalar(select(Complaint.id)) is None


def test_a_flood_from_one_address_is_throttled(client, settings_changed):
    settings_changed("portal", lookups_per_window=2)
    statuses = [_complain(client, phone=f"1390000{n:04d}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_a_flood_for_one_phone_is_throttled(client, settings_changed):
    """From a new address each time: the phone's own count stops it."""
    settings_changed("portal", lookups_per_window=2)
    response = None
    for n in range(3):
        response = _complain(client, address=f"10.0.0.{n}")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert len(db.session.scalars(select(Complaint.id)).all()) == 2


def test_the_received_page_without_a_complaint_goes_to_the_form(client):
    assert client.get(f"{PATH}/received").headers["Location"].endswith(PATH)


def test_the_handler_reads_that_the_customer_recorded_it_on_the_portal(client, sign_in):
    _complain(client)
    make_user("complaint_handler", username="sunli")
    sign_in("sunli")
    client.get("/lang/en")
    page = client.get(f"/complaints/{_complaint().id}").get_data(as_text=True)
    assert "The customer, on the portal" in page


def test_every_wrong_field_is_named_at_once(client):
    page = _complain(client, phone="12345", number="WO-12-AB").get_data(as_text=True)
    assert 'id="e-phone"' in page and 'id="e-number"' in page


def test_the_online_service_figure_counts_a_complaint_from_the_portal(client):
    _complain(client)
    today = local_today()
    measure = registered()["portal.online_service"].func(
        db.session, Period(today - timedelta(days=30), today), 1.0)
    assert (measure.passed, measure.checked) == (1, 4)
