"""One-time links the customer is sent (or shown by the technician) to confirm a step of
their work order from their own phone: accept the fee quote, confirm the technician
arrived, confirm the work is done and rate it. Opening a link changes nothing (WeChat and
SMS apps fetch links to preview them); the confirmation is a POST that spends the link.
A link used twice, expired, or for another record or step answers a refusal saying so,
and nothing changes."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from aftersales.complaints import customer_steps as complaint_steps
from aftersales.core.auth import public
from aftersales.core.errors import DomainError
from aftersales.core.forms import errors_of, form_input, on_refusal, placed
from aftersales.customers import attestations
from aftersales.customers.attestations import AttestedStep
from aftersales.extensions import db
from aftersales.portal import throttling
from aftersales.portal.blueprint import bp
from aftersales.portal.confirm_schemas import ConfirmSchema
from aftersales.tickets import customer_steps
from aftersales.tickets import services as ticket_services
from aftersales.tickets.labels import ticket_number

ASKED = {
    AttestedStep.ACCEPT_QUOTE: (_l("Accept the fee quote"), _l("Accept this fee")),
    AttestedStep.CONFIRM_ARRIVAL: (_l("Has our technician arrived?"),
                                   _l("Yes, the technician is here")),
    AttestedStep.CONFIRM_COMPLETION: (_l("Is the work done?"), _l("Yes, the work is done")),
}
STEP_LABELS = AttestedStep.labels()


@bp.context_processor
def _words():
    return {"asked_title": lambda step: ASKED[step][0],
            "asked_button": lambda step: ASKED[step][1],
            "step_label": lambda step: STEP_LABELS[step], "ticket_number": ticket_number}


def _page(errors, status, token):
    """The link's page (with the reasons a confirmation was refused, if any), or, for a
    link that cannot be used, the page saying why."""
    try:
        link = attestations.link_of(db.session, token)
        if link.record_type == "complaint":
            template, asked, shown = ("portal/confirm_complaint.html",
                                      complaint_steps.confirmable(db.session, link),
                                      {"feedback"})
        else:
            template, asked, shown = ("portal/confirm.html",
                                      customer_steps.confirmable(db.session, link), set())
    except DomainError as refusal:
        return render_template("portal/confirm_refused.html",
                               errors=errors or errors_of(refusal)), refusal.status
    return render_template(template, asked=asked, errors=placed(errors, shown)), status


@bp.route("/c/<token>")
@public
def confirm_link(token):
    return _page({}, 200, token)


@bp.route("/c/<token>", methods=["POST"])
@public
@on_refusal(_page)
def confirm_step(token):
    refused = throttling.refused("portal-confirm")
    if refused is not None:
        return refused
    data = form_input(ConfirmSchema())
    if data["step"] == AttestedStep.CONFIRM_RESOLUTION:
        act = complaint_steps.confirm(
            db.session, token, complaint_id=_complaint_id(data["number"]),
            accepted=data["accepted"], satisfaction=data["rating"], feedback=data["feedback"],
            user_agent=request.user_agent.string)
    else:
        act = customer_steps.confirm(
            db.session, token, step=data["step"],
            ticket_id=ticket_services.ticket_id_of_number(data["number"]),
            user_agent=request.user_agent.string, rating=data["rating"])
    return render_template("portal/confirmed.html", act=act, number=data["number"],
                           accepted=data["accepted"])


def _complaint_id(number: str) -> int:
    complaint_id = complaint_steps.complaint_id_of_number(number)
    if complaint_id is None:
        raise attestations.LinkRefused("elsewhere")
    return complaint_id
