"""A complaint as the portal's form records it, apart from the page so the demo records
its own the same way. The complaint goes through the complaints desk's intake, channel
portal, received now (its response clock starts then); the customer is the phone's (or a
new one); a work-order number is linked only when it is this phone's, any other passed to
the handler as typed; an SMS confirms its number."""

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from aftersales.complaints import services as complaint_services
from aftersales.core import settings as core_settings
from aftersales.customers import attestations
from aftersales.customers.attestations import AttestationChannel, AttestedRecord, AttestedStep
from aftersales.messaging import services as messaging
from aftersales.portal import contact
from aftersales.tickets import customer_view

SUMMARY_LENGTH = 60


def record_complaint(session: Session, name: str, phone: str, number: str, category: str,
                     description: str, user_agent: str):
    """The complaint, recorded as the customer's act of complaining online (what the
    online-service figure counts), and its SMS queued; `phone` is normalised."""
    customer_id, notes = contact.customer_for(session, name, phone)
    ticket = customer_view.ticket_of(session, number, phone) if number else None
    if ticket is not None and ticket.customer_id != customer_id:
        ticket = None
    if number and ticket is None:
        notes.append(_("Work order number typed on the portal form, not this phone's: "
                       "%(number)s.", number=number))
    complaint = complaint_services.open_complaint(session, None, complaint_services.Intake(
        channel="portal", category=category, severity="normal", customer_id=customer_id,
        summary=_summary(description), description="\n".join([description, *notes]),
        ticket_id=ticket.id if ticket else None))
    attestations.record_act(
        session, customer_id=customer_id, record_type=AttestedRecord.COMPLAINT,
        record_id=complaint.id, step=AttestedStep.COMPLAIN,
        channel=AttestationChannel.PORTAL_FORM, user_agent=user_agent)
    messaging.send(session, template="complaint_received", channel="sms", essential=True,
                   values={"number": complaint.number,
                           "hotline": core_settings.platform().service_hotline},
                   customer_id=customer_id, address=phone)
    return complaint


def _summary(description: str) -> str:
    """The complaint in one line for the handler's list: its first line, cut short."""
    first = description.splitlines()[0].strip()
    return first if len(first) <= SUMMARY_LENGTH else first[:SUMMARY_LENGTH - 1] + "…"
