"""Complain from the customer's phone (clause 5.3.2): who, how to reach them, what about
and in their own words. The complaint is recorded through the complaints desk's own intake,
channel portal, received when the form arrives (its 24-hour response clock starts then,
by the server's clock), as the customer's act in the audit trail; an SMS confirms its
number. A work-order number is linked only when it is this phone's; any other is passed
to the handler as typed, and the answer is the same either way, so the form cannot tell
which work orders exist or whose they are."""

from flask import redirect, render_template, url_for
from flask import session as browser_session
from flask_babel import gettext as _

from aftersales.complaints import services as complaint_services
from aftersales.complaints.labels import CATEGORY_LABELS
from aftersales.core import audit
from aftersales.core import settings as core_settings
from aftersales.core.auth import public
from aftersales.core.forms import form_input, on_refusal, placed, submitted
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.messaging import services as messaging
from aftersales.portal import contact, throttling
from aftersales.portal.blueprint import bp
from aftersales.portal.complaint_schemas import ComplainSchema
from aftersales.tickets import customer_view

# Who the audit trail and the complaint's timeline say acted: the customer, on the portal.
CUSTOMER_ON_PORTAL = audit.Actor(None, "portal:customer")
FIELDS = frozenset({"name", "phone", "number", "category", "description"})
SUMMARY_LENGTH = 60
# The browser session's note of the complaint just sent, for the confirmation page.
RECEIVED = "portal_complaint_received"


def _form(errors, status=200):
    return render_template(
        "portal/complain.html", errors=placed(errors, FIELDS), values=submitted(),
        categories=list(CATEGORY_LABELS.items())), status


@bp.route("/complain")
@public
def complain():
    return _form({})


@bp.route("/complain", methods=["POST"])
@public
@on_refusal(_form)
def send_complaint():
    audit.set_actor(CUSTOMER_ON_PORTAL)
    data = form_input(ComplainSchema())
    phone = customer_services.normalise_phone(data["phone"])
    refused = throttling.refused("portal-complain", phone)
    if refused is not None:
        return refused
    customer_id, notes = contact.customer_for(db.session, data["name"], phone)
    ticket = customer_view.ticket_of(db.session, data["number"], phone) \
        if data["number"] else None
    if ticket is not None and ticket.customer_id != customer_id:
        ticket = None
    if data["number"] and ticket is None:
        notes.append(_("Work order number typed on the portal form, not this phone's: "
                       "%(number)s.", number=data["number"]))
    complaint = complaint_services.open_complaint(db.session, None, complaint_services.Intake(
        channel="portal", category=data["category"], severity="normal",
        customer_id=customer_id, summary=_summary(data["description"]),
        description="\n".join([data["description"], *notes]),
        ticket_id=ticket.id if ticket else None))
    messaging.send(db.session, template="complaint_received",
                   values={"number": complaint.number,
                           "hotline": core_settings.platform().service_hotline},
                   channel="sms", essential=True,
                   customer_id=customer_id, address=phone)
    browser_session[RECEIVED] = complaint.number
    return redirect(url_for("portal.complaint_received"))


def _summary(description: str) -> str:
    """The complaint in one line for the handler's list: its first line, cut short."""
    first = description.splitlines()[0].strip()
    return first if len(first) <= SUMMARY_LENGTH else first[:SUMMARY_LENGTH - 1] + "…"


@bp.route("/complain/received")
@public
def complaint_received():
    number = browser_session.get(RECEIVED)
    if number is None:
        return redirect(url_for("portal.complain"))
    return render_template("portal/complain_received.html", number=number)
