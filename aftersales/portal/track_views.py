"""Follow a work order: the customer types its number and the phone on file, and is sent
a one-time code to that phone. The page answers the same whether or not the number and
the phone match (nobody learns which work orders exist, or whose they are). The code opens
that one work order in this browser for half an hour: its progress in plain words, the
technician's name and expected arrival, the fee quote to accept. A wrong code counts
against the code (five tries) even though the answer is a refusal."""

from datetime import timedelta

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from aftersales.complaints import customer_steps as complaint_steps
from aftersales.complaints.labels import complaint_number
from aftersales.core.auth import public
from aftersales.core.clock import utcnow
from aftersales.core.forms import form_input, on_refusal, submitted
from aftersales.customers import attestations
from aftersales.extensions import db
from aftersales.messaging import services as messaging
from aftersales.portal import throttling
from aftersales.portal.blueprint import bp
from aftersales.portal.confirm_schemas import CodeSchema, TrackSchema
from aftersales.tickets import customer_steps, customer_view
from aftersales.tickets.labels import ticket_number

OPEN_FOR = timedelta(minutes=30)
CODE_KEY, OPEN_KEY = "portal_code", "portal_ticket"


def _track_form(errors, status=200):
    return render_template("portal/track.html", errors=errors, values=submitted()), status


def _code_form(errors, status=200):
    return render_template("portal/track_code.html", errors=errors), status


@bp.route("/track")
@public
def track():
    return _track_form({})


@bp.route("/track", methods=["POST"])
@public
@on_refusal(_track_form)
def send_code():
    data = form_input(TrackSchema())
    refused = throttling.refused("portal-track", data["phone"])
    if refused is not None:
        return refused
    session[CODE_KEY] = _code_sent_for(data["number"], data["phone"])
    return redirect(url_for("portal.enter_code"))


def _code_sent_for(number: str, phone: str) -> int | None:
    """A code to the phone on file of the work order or complaint the number names, if the
    phone is that customer's; else nothing is sent (and the page says the same)."""
    complaint_id = complaint_steps.complaint_id_of_number(number)
    if complaint_id is not None:
        record = complaint_steps.complaint_of(db.session, number, phone)
        record_type, shown = "complaint", record and complaint_number(record.id)
    else:
        record = customer_view.ticket_of(db.session, number, phone)
        record_type, shown = "ticket", record and ticket_number(record.id)
    if record is None:
        return None
    issued = attestations.issue_code(db.session, record_type=record_type, record_id=record.id,
                                     customer_id=record.customer_id)
    messaging.send(db.session, template="portal_code", channel="sms", essential=True,
                   customer_id=record.customer_id,
                   values={"code": issued.code, "number": shown})
    return issued.id


@bp.route("/track/code")
@public
def enter_code():
    return _code_form({})


@bp.route("/track/code", methods=["POST"])
@public
@on_refusal(_code_form)
def open_with_code():
    refused = throttling.refused("portal-code")
    if refused is not None:
        return refused
    data = form_input(CodeSchema())
    opened = attestations.redeem_code(db.session, session.get(CODE_KEY), data["code"])
    if opened is None:
        db.session.commit()  # the wrong try counts, though the answer is a refusal
        return _code_form({"code": _("That code is wrong or has expired. Ask for a new one.")}, 422)
    session.pop(CODE_KEY, None)
    session[OPEN_KEY] = {"type": opened.record_type, "id": opened.record_id,
                         "until": (utcnow() + OPEN_FOR).isoformat()}
    steps = complaint_steps if opened.record_type == "complaint" else customer_steps
    steps.record_tracking(db.session, opened.record_id, request.user_agent.string)
    return redirect(url_for("portal.progress"))


def _opened() -> tuple[str, int] | None:
    """The record (type, id) a code opened in this browser, while it stays open."""
    grant = session.get(OPEN_KEY)
    if not grant or grant.get("until", "") <= utcnow().isoformat():
        session.pop(OPEN_KEY, None)
        return None
    return grant.get("type", "ticket"), grant["id"]


def _opened_ticket_id() -> int | None:
    opened = _opened()
    return opened[1] if opened and opened[0] == "ticket" else None


def _progress_page(errors, status=200):
    opened = _opened()
    if opened is None:
        return redirect(url_for("portal.track"))
    record_type, record_id = opened
    if record_type == "complaint":
        return render_template("portal/track_complaint.html",
                               view=complaint_steps.view_of(db.session, record_id)), status
    return render_template("portal/track_progress.html", errors=errors,
                           view=customer_view.view_of(db.session, record_id)), status


@bp.route("/track/progress")
@public
def progress():
    return _progress_page({})


@bp.route("/track/quote", methods=["POST"])
@public
@on_refusal(_progress_page)
def accept_quote():
    ticket_id = _opened_ticket_id()
    if ticket_id is None:
        return redirect(url_for("portal.track"))
    customer_steps.accept_quote_on_portal(db.session, ticket_id, request.user_agent.string)
    return redirect(url_for("portal.progress"))
