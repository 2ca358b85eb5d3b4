"""Complain from the customer's phone (clause 5.3.2): who, how to reach them, what about
and in their own words (complaint_intake.py records it, as the customer's act in the audit
trail). Received when the form arrives, by the server's clock: the form takes no time. The
answer is the same whatever work-order number is typed, so the form cannot tell which work
orders exist or whose they are; it counts against the client address and the phone."""

from flask import redirect, render_template, request, url_for
from flask import session as browser_session

from aftersales.complaints.labels import CATEGORY_LABELS
from aftersales.core.auth import public
from aftersales.core.forms import form_input, on_refusal, placed, submitted
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.portal import complaint_intake, throttling
from aftersales.portal.blueprint import bp
from aftersales.portal.complaint_schemas import ComplainSchema

FIELDS = frozenset({"name", "phone", "number", "category", "description"})
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
    data = form_input(ComplainSchema())
    phone = customer_services.normalise_phone(data["phone"])
    refused = throttling.refused("portal-complain", phone)
    if refused is not None:
        return refused
    complaint = complaint_intake.record_complaint(
        db.session, data["name"], phone, data["number"], data["category"], data["description"],
        request.user_agent.string)
    browser_session[RECEIVED] = complaint.number
    return redirect(url_for("portal.complaint_received"))


@bp.route("/complain/received")
@public
def complaint_received():
    number = browser_session.get(RECEIVED)
    if number is None:
        return redirect(url_for("portal.complain"))
    return render_template("portal/complain_received.html", number=number)
