"""The satisfaction survey the customer is sent by SMS after their work order closed: five
dimensions scored 1 to 5 with one thumb, and a few words if they like. Opening the link
changes nothing (WeChat and SMS apps fetch links to preview them); the answer is a POST
that spends the link. A link used, expired, or sent for something else answers a refusal
saying so, and nothing changes."""

from flask import render_template, request

from aftersales.core.auth import public
from aftersales.core.errors import DomainError
from aftersales.core.forms import errors_of, form_input, on_refusal, placed, submitted
from aftersales.customers.attestations import LinkRefused
from aftersales.extensions import db
from aftersales.portal import throttling
from aftersales.portal.blueprint import bp
from aftersales.portal.survey_schemas import SurveySchema
from aftersales.visits import services as visit_services
from aftersales.visits.labels import DIMENSION_LABELS, SURVEY_DIMENSIONS

SHOWN = frozenset({*SURVEY_DIMENSIONS, "comment"})


def _refused(errors, status):
    return render_template("portal/confirm_refused.html", errors=errors), status


def _page(token, errors=None, form=None, status=200):
    try:
        asked = visit_services.survey_asked(db.session, token)
    except DomainError as refusal:
        return _refused(errors_of(refusal), refusal.status)
    return render_template(
        "portal/survey.html", asked=asked, token=token, errors=errors or {}, form=form or {},
        dimensions=SURVEY_DIMENSIONS, dimension_labels=DIMENSION_LABELS), status


def _refusal(errors, status, token):
    """A link that cannot be used says why; a form missing a score is drawn again."""
    if status == LinkRefused.status:
        return _refused(errors, status)
    return _page(token, placed(errors, SHOWN), submitted(), status)


@bp.route("/survey/<token>")
@public
def survey(token):
    return _page(token)


@bp.route("/survey/<token>", methods=["POST"])
@public
@on_refusal(_refusal)
def answer_survey(token):
    refused = throttling.refused("portal-survey")
    if refused is not None:
        return refused
    data = form_input(SurveySchema())
    answer = visit_services.answer_survey(
        db.session, token, {name: data[name] for name in SURVEY_DIMENSIONS},
        data["comment"], user_agent=request.user_agent.string)
    return render_template("portal/survey_thanks.html", number=answer.ticket_number)
