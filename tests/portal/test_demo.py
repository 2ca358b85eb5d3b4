"""The portal's demo complaints: from the portal, the customer's act, waiting in the queue."""

from sqlalchemy import select

from aftersales.complaints.models import Complaint
from aftersales.core import audit
from aftersales.core.models import AuditEntry
from aftersales.extensions import db
from aftersales.portal import demo
from tests.factories import make_customer, make_ticket


def test_the_demo_sends_two_complaints_from_the_portal():
    ticket = make_ticket(customer=make_customer(phone="13900001111"))
    assert demo.load_complaints(db.session) == 2
    complaints = db.session.scalars(select(Complaint).order_by(Complaint.id)).all()
    assert [(c.channel, c.state) for c in complaints] == [("portal", "received")] * 2
    assert complaints[0].ticket_id == ticket.id
    db.session.commit()
    assert set(db.session.scalars(select(AuditEntry.actor_label).where(
        AuditEntry.record_type == "complaints"))) == {audit.PORTAL_CUSTOMER.label}
