"""Report a fault, or ask for an installation or maintenance (报修报装), from the customer's
phone: a QR code on the product or warranty card opens /portal/report?serial=…. First
where and what (the outlet that covers the address, and so the visit windows it offers,
depend on them), then the problem, who to call, up to three photos and a window. The work
order opens at the covering outlet through the desk's own services, as the customer's act
(the portal acts as the customer: portal/views.py), and an SMS confirms its number
(portal/intake.py). Every report counts against the client address and the phone number
(portal/throttling.py); no personal data goes into an address."""

from flask import redirect, render_template, request, url_for
from flask import session as browser_session
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from aftersales.core import geo
from aftersales.core import settings as core_settings
from aftersales.core.auth import public
from aftersales.core.clock import local_today, to_zone, utcnow
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.forms import (
    errors_of,
    form_input,
    on_refusal,
    placed,
    query_input,
    submitted,
)
from aftersales.core.uploads import check_upload, upload_limit
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.portal import intake, settings, throttling
from aftersales.portal.blueprint import bp
from aftersales.portal.report_schemas import (
    REPORT_TYPES,
    ReportQuerySchema,
    ReportSchema,
    WhereSchema,
)
from aftersales.tickets import services as ticket_services
from aftersales.tickets.labels import TYPE_LABELS

WHERE_FIELDS = frozenset({"type", "serial", "province", "city", "address"})
DETAIL_FIELDS = frozenset({"description", "name", "phone", "photos", "window"})
REPORT_FIELDS = ("type", "serial", "province", "city", "address", "description", "name",
                 "window")
# The browser session's note of the report just sent, for the confirmation page.
RECEIVED = "portal_report_received"


def _types() -> list[tuple[str, str]]:
    return [(code, TYPE_LABELS[code]) for code in REPORT_TYPES]


@bp.route("/report")
@public
def report():
    query, _errors = query_input(ReportQuerySchema())
    return _render_where({"serial": query["serial"]}, {}, 200)


def _render_where(form, errors: dict, status: int):
    return render_template("portal/report.html", form=form, types=_types(),
                           errors=placed(errors, WHERE_FIELDS)), status


def _covering(where: dict):
    """The outlet that takes work at the address, or a refusal naming the address."""
    outlet = ticket_services.covering_outlet_at(
        db.session, where["province"], where["city"], where["address"], where["serial"],
        local_today())
    if outlet is None:
        raise ValidationFailed(
            _("We have no outlet serving this address yet: please call us on %(hotline)s.",
              hotline=_hotline()), field="address")
    return outlet


def _hotline() -> str:
    return core_settings.platform().service_hotline


@bp.route("/report/times", methods=["POST"])
@public
@on_refusal(lambda errors, status: _render_where(submitted(), errors, status))
def report_times():
    where = form_input(WhereSchema())
    refused = throttling.refused("portal-report-times")
    if refused is not None:
        return refused
    return _render_details(where, {}, 200)


def _render_details(where: dict, errors: dict, status: int):
    outlet = _covering(where)
    windows = outlet_services.open_windows(db.session, outlet.id, utcnow(),
                                           settings.current().booking_days)
    return render_template(
        "portal/report_details.html", where=where, form=submitted(), outlet=outlet,
        windows=[(window.key, _said(window)) for window in windows],
        type_label=TYPE_LABELS[where["type"]],
        address_line=geo.place_names(where["province"], where["city"], where["address"]),
        errors=placed(errors, DETAIL_FIELDS)), status


def _render_refused(errors: dict, status: int):
    """A refused report drawn again: its details page when where and what still hold, else
    the first page with the reason."""
    where, where_errors = query_input(WhereSchema())
    if where_errors:
        return _render_where(submitted(), {**where_errors, **errors}, status)
    try:
        return _render_details(where, errors, status)
    except DomainError as problem:
        return _render_where(submitted(), {**errors, **errors_of(problem)}, status)


@bp.route("/report", methods=["POST"])
@public
@on_refusal(_render_refused)
def send_report():
    data = form_input(ReportSchema())
    limits = settings.current()
    phone = customer_services.normalise_phone(data["phone"])
    refused = throttling.report_refused(phone)
    if refused is not None:
        return refused
    from aftersales.portal.photos import kept_photo  # Pillow: loaded on the first report

    outlet = _covering(data)
    # Photos are decoded last: a refusal rolls the request back, its count included.
    photos = [kept_photo(_checked(upload), data["keep_location"], "photos")
              for upload in data["photos"]]
    report = intake.Report(**{name: data[name] for name in REPORT_FIELDS}, phone=phone)
    ticket, window = intake.open_report(db.session, report, outlet.id, photos,
                                        limits.booking_days, utcnow(),
                                        request.user_agent.string)
    browser_session[RECEIVED] = {"number": ticket.number, "window": _said(window)}
    return redirect(url_for("portal.report_received"))


def _said(window) -> str | None:
    """A window as the customer reads it: 12-07 (Mon) 09:00–12:00, in the reader's
    language."""
    if window is None:
        return None
    return (f"{format_date(window.day, 'MM-dd EEE')} "
            f"{to_zone(window.starts_at):%H:%M}–{to_zone(window.ends_at):%H:%M}")


def _checked(upload: FileStorage) -> bytes:
    content = upload.read(upload_limit() + 1)
    check_upload(content, ticket_services.PHOTO_KINDS, upload_limit(), "photos")
    return content


@bp.route("/report/received")
@public
def report_received():
    received = browser_session.get(RECEIVED)
    if received is None:
        return redirect(url_for("portal.report"))
    return render_template("portal/report_received.html", received=received)
