"""A fault report from the portal becomes a work order through the desk's own services:
the covering outlet's visit window booked, the customer found by phone or created, the
photos kept, the number sent by SMS. Used by the report page and the demo.

The form is anonymous, so it never reads or changes a customer's record: a known phone
number's record gets the work order (its SMS goes to that number) and keeps its name and
address, a different name on the form is noted for the desk; a serial that is unknown or
another customer's is left for the desk to resolve, with the same answer as any other, so
the form cannot tell who owns a serial."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from aftersales.core import geo
from aftersales.core.errors import NotFound
from aftersales.customers import attestations
from aftersales.customers import services as customer_services
from aftersales.customers.attestations import (
    AttestationChannel,
    AttestedRecord,
    AttestedStep,
)
from aftersales.messaging import services as messaging
from aftersales.outlets import services as outlet_services
from aftersales.tickets import services as ticket_services


@dataclass(frozen=True)
class Report:
    type: str
    serial: str
    province: str
    city: str
    address: str
    description: str
    name: str
    phone: str  # normalised
    window: str = ""  # an OpenWindow.key, or "" for no preference


def open_report(session: Session, report: Report, outlet_id: int, photos: list[bytes],
                booking_days: int, now: datetime, user_agent: str):
    """The work order the report opens at `outlet_id` (the covering outlet), and the
    window booked (None: no preference). The report is the customer's act (asked for
    service online), as the evidence of the portal's use counts it."""
    window = (outlet_services.book_window(session, outlet_id, report.window, now, booking_days)
              if report.window else None)
    customer_id, notes = _customer_of(session, report)
    serial = _serial_of(session, customer_id, report.serial)
    if report.serial and serial is None:
        notes.append(_("Serial number given on the portal form, not matched to this "
                       "customer: %(serial)s.", serial=report.serial))
    ticket = ticket_services.open_ticket(
        session, None, type=report.type, priority="normal", customer_id=customer_id,
        description="\n".join([report.description, *notes]),
        service_address=geo.place_names(report.province, report.city, report.address),
        service_area=(report.province, report.city), serial=serial, outlet_id=outlet_id,
        channel=ticket_services.IntakeChannel.PORTAL, received_at=now, now=now,
        window=(window.starts_at, window.ends_at) if window else None)
    for photo in photos:
        ticket_services.add_photo(session, ticket, photo, now=now)
    attestations.record_act(
        session, customer_id=customer_id, record_type=AttestedRecord.WORK_ORDER,
        record_id=ticket.id, step=AttestedStep.REPORT, channel=AttestationChannel.PORTAL_FORM,
        user_agent=user_agent, at=now)
    messaging.send(session, template="work_order_received", values={"number": ticket.number},
                   channel="sms", essential=True, customer_id=customer_id,
                   address=report.phone)
    return ticket, window


def _customer_of(session: Session, report: Report) -> tuple[int, list[str]]:
    """The customer with this phone number, else a new one from the form; and what the
    desk should know that the record does not say."""
    customer_id = customer_services.customer_ids_by_phone(session, [report.phone]).get(
        report.phone)
    if customer_id is None:
        return customer_services.create_customer(
            session, kind="person", name=report.name, phone=report.phone,
            province=report.province, city=report.city, address=report.address).id, []
    if customer_services.names_of(session, {customer_id})[customer_id] != report.name:
        return customer_id, [_("Contact named on the portal form: %(name)s.",
                               name=report.name)]
    return customer_id, []


def _serial_of(session: Session, customer_id: int, serial: str) -> str | None:
    """The serial to link the work order to: one of ours that is this customer's or no
    one's yet; any other is left to the desk (and the form says nothing either way)."""
    if not serial:
        return None
    try:
        unit = customer_services.find_serial(session, serial)
    except NotFound:
        return None
    return unit.serial if unit.customer_id in (None, customer_id) else None
