"""The portal's public pages. The anti-counterfeit check (防伪查询, clause 5.3.1.1): a
customer types, or scans into the address, the code on the warranty card or the serial on
the product and learns whether it is a unit of ours and its warranty — never who owns it.
A known and an unknown code take the same look-up and draw the same page with status 200
(only the verdict differs); every look-up counts against the client address, and past the
limit the answer is a 429 with Retry-After, so codes cannot be tried by the thousand."""

from flask import render_template

from aftersales.calls import services as call_services
from aftersales.core import audit
from aftersales.core import settings as core_settings
from aftersales.core.auth import public
from aftersales.core.clock import local_today
from aftersales.core.forms import query_input
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.portal import throttling
from aftersales.portal.blueprint import bp
from aftersales.portal.models import AuthenticityCheck
from aftersales.portal.schemas import VerifyQuerySchema


@bp.before_request
def _acting_as_the_customer():
    """What the portal writes, the audit trail and the records' timelines name as the
    customer's."""
    audit.set_actor(audit.PORTAL_CUSTOMER)


@bp.app_context_processor
def _company():
    platform = core_settings.platform()
    return {"portal_company": platform.company_name, "portal_hotline": platform.service_hotline}


@bp.route("/")
@public
def index():
    """The portal's front door (the QR code on a warranty card may open it): every service
    a customer can use here, and the hotline with its hours (clause 5.3.1.1)."""
    return render_template("portal/index.html",
                           hotline_hours=call_services.hotline_hours_text())


@bp.route("/verify")
@public
def verify():
    query, _errors = query_input(VerifyQuerySchema())
    code = query["code"].strip()
    if not code:
        return render_template("portal/verify.html", code="", checked=False, unit=None)
    refused = throttling.refused("portal-verify")
    if refused is not None:
        return refused
    unit = customer_services.unit_of_code(db.session, code)
    db.session.add(AuthenticityCheck(genuine=unit is not None))
    return render_template(
        "portal/verify.html", code=code, checked=True, unit=unit,
        warranty=customer_services.warranty_on(unit, local_today()))
