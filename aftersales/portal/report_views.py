"""Report a fault, or ask for an installation or maintenance (报修报装), from the customer's
phone: a QR code on the product or warranty card opens /portal/report?serial=…. First
where and what (the outlet that covers the address, and so the visit windows it offers,
depend on them), then the problem, who to call, up to three photos and a window. The work
order opens at the covering outlet through the desk's own services, as the customer's
act in the audit trail, and an SMS confirms its number.

The form is anonymous, so it never reads or changes a customer's record: a known phone
number's record gets the work order (its SMS goes to that number) and keeps its name and
address; a serial that is unknown or another customer's is left for the desk to resolve,
with the same answer as any other, so the form cannot tell who owns a serial."""

import hashlib

from flask import redirect, render_template, request, url_for
from flask import session as browser_session
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from aftersales.core import audit, geo
from aftersales.core import settings as core_settings
from aftersales.core.auth import public
from aftersales.core.clock import local_today, to_zone, utcnow
from aftersales.core.errors import DomainError, NotFound, ValidationFailed
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
from aftersales.messaging import services as messaging
from aftersales.outlets import services as outlet_services
from aftersales.portal import settings, throttle
from aftersales.portal.blueprint import bp
from aftersales.portal.photos import kept_photo
from aftersales.portal.report_schemas import (
    REPORT_TYPES,
    ReportQuerySchema,
    ReportSchema,
    WhereSchema,
)
from aftersales.tickets import services as ticket_services
from aftersales.tickets.labels import TYPE_LABELS

# Who the audit trail and the work order's timeline say acted: the customer, on the portal.
CUSTOMER_ON_PORTAL = audit.Actor(None, "portal:customer")
WHERE_FIELDS = frozenset({"type", "serial", "province", "city", "address"})
DETAIL_FIELDS = frozenset({"description", "name", "phone", "photos", "window"})
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
    outlet, _place = ticket_services.covering_outlet_at(
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
    limits = settings.current()
    refused = throttle.refused(
        "portal-report-times", request.remote_addr or "", limits.lookups_per_window,
        limits.window, _look_ups_refused)
    if refused is not None:
        return refused
    return _render_details(where, {}, 200)


def _look_ups_refused(minutes: int) -> str:
    return _("Too many look-ups from here: try again in %(minutes)d minutes.", minutes=minutes)


def _render_details(where: dict, errors: dict, status: int):
    outlet = _covering(where)
    windows = outlet_services.open_windows(db.session, outlet.id, utcnow(),
                                           settings.current().booking_days)
    return render_template(
        "portal/report_details.html", where=where, form=submitted(), outlet=outlet,
        windows=[(window.key, _said(window)) for window in windows],
        type_label=TYPE_LABELS[where["type"]], errors=placed(errors, DETAIL_FIELDS)), status


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
    audit.set_actor(CUSTOMER_ON_PORTAL)
    data = form_input(ReportSchema())
    limits = settings.current()
    refused = throttle.refused("portal-report", request.remote_addr or "",
                               limits.reports_per_address, limits.report_window,
                               _reports_refused)
    if refused is not None:
        return refused
    phone = customer_services.normalise_phone(data["phone"])
    refused = throttle.refused("portal-report-phone", _phone_key(phone),
                               limits.reports_per_phone, limits.report_window,
                               _reports_refused)
    if refused is not None:
        return refused
    photos = [kept_photo(_checked(upload), data["keep_location"], "photos")
              for upload in data["photos"]]
    outlet = _covering(data)
    window = (outlet_services.book_window(db.session, outlet.id, data["window"], utcnow(),
                                          limits.booking_days)
              if data["window"] else None)
    ticket = _open_work_order(data, phone, outlet.id, window)
    for photo in photos:
        ticket_services.add_photo(db.session, ticket, photo)
    messaging.send(db.session, template="work_order_received",
                   values={"number": ticket.number}, channel="sms", essential=True,
                   customer_id=ticket.customer_id, address=phone)
    browser_session[RECEIVED] = {"number": ticket.number, "window": _said(window)}
    return redirect(url_for("portal.report_received"))


def _said(window) -> str | None:
    """A window as the customer reads it: 12-07 (Mon) 09:00–12:00, in the reader's
    language."""
    if window is None:
        return None
    return (f"{format_date(window.day, 'MM-dd EEE')} "
            f"{to_zone(window.starts_at):%H:%M}–{to_zone(window.ends_at):%H:%M}")


def _reports_refused(minutes: int) -> str:
    return _("Too many reports from here: try again in %(minutes)d minutes, or call us.",
             minutes=minutes)


def _phone_key(phone: str) -> str:
    """The phone number as the rate limit counts it: hashed, so the limit's table holds no
    phone numbers."""
    return hashlib.sha256(f"portal-report:{phone}".encode()).hexdigest()[:40]


def _checked(upload: FileStorage) -> bytes:
    content = upload.read(upload_limit() + 1)
    check_upload(content, ticket_services.PHOTO_KINDS, upload_limit(), "photos")
    return content


def _open_work_order(data: dict, phone: str, outlet_id: int, window):
    customer_id = customer_services.customer_ids_by_phone(db.session, [phone]).get(phone)
    notes = []
    if customer_id is None:
        customer_id = customer_services.create_customer(
            db.session, kind="person", name=data["name"], phone=phone,
            province=data["province"], city=data["city"], address=data["address"]).id
    elif customer_services.names_of(db.session, {customer_id})[customer_id] != data["name"]:
        notes.append(_("Contact named on the portal form: %(name)s.", name=data["name"]))
    serial = _serial_of(customer_id, data["serial"])
    if data["serial"] and serial is None:
        notes.append(_("Serial number given on the portal form, not matched to this "
                       "customer: %(serial)s.", serial=data["serial"]))
    return ticket_services.open_ticket(
        db.session, None, type=data["type"], priority="normal", customer_id=customer_id,
        description="\n".join([data["description"], *notes]),
        service_address=geo.place_names(data["province"], data["city"], data["address"]),
        service_area=(data["province"], data["city"]), serial=serial, outlet_id=outlet_id,
        channel=ticket_services.IntakeChannel.PORTAL,
        window=(window.starts_at, window.ends_at) if window else None)


def _serial_of(customer_id: int, serial: str) -> str | None:
    """The serial to link the work order to: one of ours that is this customer's or no
    one's yet; any other is left to the desk (and the form says nothing either way)."""
    if not serial:
        return None
    try:
        unit = customer_services.find_serial(db.session, serial)
    except NotFound:
        return None
    return unit.serial if unit.customer_id in (None, customer_id) else None


@bp.route("/report/received")
@public
def report_received():
    received = browser_session.get(RECEIVED)
    if received is None:
        return redirect(url_for("portal.report"))
    return render_template("portal/report_received.html", received=received)
