"""The agent's console: a caller's number in; their customer record, products, open work
orders and recent calls out; the call logged and a work order opened in one step.

Routes on the calls blueprint (imported at the end of views.py)."""

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.calls import services
from aftersales.calls.blueprint import bp
from aftersales.calls.schemas import ConsoleCallSchema, ConsoleQuerySchema
from aftersales.calls.times import local_input
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today, utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.forms import form_input, on_refusal, placed, query_input, submitted
from aftersales.core.permissions import scope_of
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db
from aftersales.tickets import services as ticket_services
from aftersales.tickets.services import PRIORITIES, TICKET_TYPES

MATCHES_SHOWN = 5
OPEN_STATES_SHOWN = 20


def _profiles(number: str) -> list[dict]:
    """Up to five matching customers, each with products and open work orders."""
    customers = customer_services.search_customers(
        db.session, number, None, MATCHES_SHOWN, customer_visibility.of(current_user)).items
    scope = scope_of(current_user, "tickets.read")
    today = local_today()
    return [
        {
            "customer": customer,
            "units": [
                (unit, customer_services.warranty_on(unit, today))
                for unit in customer_services.serials_of(db.session, customer.id)
            ],
            "open_tickets": ticket_services.open_tickets_of_customer(
                db.session, customer.id, scope, OPEN_STATES_SHOWN
            ),
        }
        for customer in customers
    ]


def _recent_calls(number: str):
    if not number.isdigit():
        return []
    filters = services.CallFilters(caller_number=number)
    return services.list_calls(db.session, filters, None, 5,
                               customer_visibility.of(current_user)).items


def _chosen_id(typed: str | None) -> int | None:
    """The customer a refused form had chosen, to place its work order the same way."""
    return int(typed) if typed and typed.isdigit() and len(typed) < 10 else None


def _phone_in(looked_up: str) -> str:
    """The look-up text when it is a phone number, to pre-fill the caller's number; a name
    or a serial leaves it for the agent to type."""
    try:
        return services.normalise_number(looked_up, strict=True)
    except ValidationFailed:
        return ""


# The inputs the console's form shows a reason beside; any other goes to its top.
SHOWN_FIELDS = frozenset({"caller_number", "customer_id", "serial", "outlet_id",
                          "description"})


def _outlet_offer(profiles: list[dict], customer_id: int | None, serial: str | None):
    """Where the work order would go: for the customer chosen (else the first found)."""
    if not profiles or not can(current_user, "tickets.write"):
        return None
    found = [profile["customer"].id for profile in profiles]
    return ticket_services.outlet_offer(
        db.session, customer_id if customer_id in found else found[0], serial,
        scope_of(current_user, "tickets.write"), customer_visibility.of(current_user))


def _render(errors: dict, status: int):
    query, _errors = query_input(ConsoleQuerySchema())  # a bad time is taken as now
    number = query["number"]
    profiles = _profiles(number) if number else []
    form = submitted()
    chosen = query["customer_id"] or _chosen_id(form.get("customer_id"))
    return render_template(
        "calls/console.html", number=number, caller_number=_phone_in(number),
        answered_at=local_input(query["answered_at"] or utcnow()),
        profiles=profiles, calls=_recent_calls(number),
        offer=_outlet_offer(profiles, chosen, form.get("serial")),
        form=form, errors=placed(errors, SHOWN_FIELDS), types=TICKET_TYPES,
        priorities=PRIORITIES, may_open=can(current_user, "tickets.write"),
        may_add_customer=can(current_user, "customers.write"),
    ), status


@bp.route("/console")
@requires("calls.write")
def console():
    return _render({}, 200)


@bp.route("/console", methods=["POST"])
@requires("calls.write")
@on_refusal(_render)
def take_call():
    """Log the answered call and, when a problem is described, open its work order:
    one transaction, so neither exists without the other."""
    data = form_input(ConsoleCallSchema())
    answered_at = data["answered_at"] or utcnow()
    call = services.log_call(db.session, services.CallDraft(
        direction="inbound", caller_number=data["caller_number"] or data["number"],
        queued_at=answered_at,
        outcome="answered", answered_at=answered_at, ended_at=utcnow(),
        agent_id=current_user.id, note=data["note"],
    ))
    ticket = _open_ticket(data, answered_at) if data["description"] else None
    if ticket is None:
        flash(_("Call from %(number)s logged.", number=call.caller_number), "success")
        return redirect(url_for("calls.console"))
    call.ticket_id = ticket.id
    db.session.flush()
    flash(_("Call logged and work order %(number)s opened.", number=ticket.number), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


def _open_ticket(data: dict, received_at: datetime):
    if not can(current_user, "tickets.write"):
        return None
    if data["customer_id"] is None:
        raise ValidationFailed(_("Choose the customer the work order is for."), "customer_id")
    return ticket_services.open_ticket(
        db.session, current_user, type=data["type"], priority=data["priority"],
        customer_id=data["customer_id"], description=data["description"],
        serial=data["serial"], outlet_id=data["outlet_id"],
        received_at=min(received_at, utcnow()), channel=ticket_services.IntakeChannel.HOTLINE,
        scope=scope_of(current_user, "tickets.write"),
        seen_by=customer_visibility.of(current_user),
    )
