"""The customer's word on a complaint's resolution from their own phone, and following the
complaint with a code (portal/confirm_views.py, complaints/customer_steps.py)."""

import json
from datetime import timedelta

from sqlalchemy import select

from aftersales.complaints import services
from aftersales.complaints.models import Complaint, ComplaintEvent
from aftersales.core.clock import utcnow
from aftersales.customers.models import CustomerAct
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from tests.complaints.factories import make_complaint
from tests.conftest import csrf_from
from tests.factories import make_customer


def _resolved():
    now = utcnow() - timedelta(hours=3)
    complaint = make_complaint(customer=make_customer(phone="13700001234"), now=now)
    services.acknowledge(db.session, complaint, None, "已致电", now=now + timedelta(hours=1))
    resolution = services.Resolution(resolution="更换压缩机并延保一年", root_cause="压缩机故障")
    services.resolve(db.session, complaint, None, resolution, now=now + timedelta(hours=2))
    db.session.commit()
    return complaint


def _link_path():
    message = db.session.scalars(select(OutgoingMessage).where(
        OutgoingMessage.template == "resolution_to_confirm")).one()
    return "/portal/c/" + json.loads(message.values_json)["link"].rsplit("/", 1)[1]


def _answer(client, complaint, **values):
    return client.post(_link_path(), data={
        "csrf_token": csrf_from(client, "/portal/track"), "step": "confirm_resolution",
        "number": complaint.number, **values})


def test_resolving_a_complaint_sends_the_customer_a_link_showing_the_resolution(client):
    complaint = _resolved()
    page = client.get(_link_path())
    assert page.status_code == 200
    assert complaint.number in page.get_data(as_text=True)
    assert "更换压缩机并延保一年" in page.get_data(as_text=True)


def test_the_customer_accepts_the_resolution_with_a_score(client):
    complaint = _resolved()
    assert _answer(client, complaint, accepted="true", rating="5").status_code == 200
    db.session.expire_all()
    stored = db.session.get(Complaint, complaint.id)
    assert stored.state == "closed" and stored.satisfaction == 5
    assert stored.customer_confirmed_at is not None
    act = db.session.scalars(select(CustomerAct)).one()
    assert (act.step, act.record_type, act.rating) == ("confirm_resolution", "complaint", 5)
    event = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.kind == "confirmed")).one()
    assert event.actor_label == "customer (portal)"


def test_not_resolved_needs_what_is_still_wrong_and_changes_nothing_without_it(client):
    complaint = _resolved()
    refused = _answer(client, complaint, accepted="false")
    assert refused.status_code == 422 and 'id="e-feedback"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).state == "resolved"
    assert not db.session.scalars(select(CustomerAct)).all()


def test_not_resolved_reopens_the_complaint_with_new_clocks(client):
    complaint = _resolved()
    assert _answer(client, complaint, accepted="false",
                   feedback="还是不制冷").status_code == 200
    db.session.expire_all()
    stored = db.session.get(Complaint, complaint.id)
    assert (stored.state, stored.cycle) == ("received", 2)


def test_the_resolution_link_works_once(client):
    complaint = _resolved()
    _answer(client, complaint, accepted="true")
    assert _answer(client, complaint, accepted="true").status_code == 410


def test_the_customer_follows_the_complaint_with_a_code(client):
    complaint = _resolved()
    client.post("/portal/track", data={"csrf_token": csrf_from(client, "/portal/track"),
                                       "number": complaint.number, "phone": "13700001234"})
    code = json.loads(db.session.scalars(select(OutgoingMessage).where(
        OutgoingMessage.template == "portal_code")).one().values_json)["code"]
    client.post("/portal/track/code", data={
        "csrf_token": csrf_from(client, "/portal/track/code"), "code": code})
    page = client.get("/portal/track/progress").get_data(as_text=True)
    assert complaint.number in page and "更换压缩机并延保一年" in page
