"""Pages: the work-order list, a technician's own list, opening a work order, and one
work order with its SLA clocks, timeline and the steps it may take next."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.clock import DEFAULT_ZONE, local_today
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.home import TileView, home_tile
from aftersales.core.permissions import scope_of
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db
from aftersales.tickets import field_work, loaners, record_sheet, services, stamps, trail
from aftersales.tickets.blueprint import bp
from aftersales.tickets.labels import (
    PRIORITY_LABELS,
    STATE_LABELS,
    TYPE_LABELS,
    WARRANTY_LABELS,
)
from aftersales.tickets.models import FINISHED_STATES, PRIORITIES, STATES, TICKET_TYPES

DEFAULT_LOAN_DAYS = 14
OPEN_STATES = tuple(state for state in STATES if state not in FINISHED_STATES)


def _labeller(labels: dict):
    return lambda code: labels.get(code, code)


# Globals, not a context processor: imported macros (tickets/_badges.html) see globals only.
for _name, _labels in (
    ("state_label", STATE_LABELS),
    ("type_label", TYPE_LABELS),
    ("priority_label", PRIORITY_LABELS),
    ("warranty_label", WARRANTY_LABELS),
):
    bp.add_app_template_global(_labeller(_labels), _name)


def _filters_from(args) -> services.TicketFilters:
    def choice(name, allowed):
        value = args.get(name) or None
        return value if value in allowed else None

    return services.TicketFilters(
        state=choice("state", STATES),
        type=choice("type", TICKET_TYPES),
        priority=choice("priority", PRIORITIES),
        overdue=args.get("overdue") == "1",
    )


def _names_for(tickets) -> tuple[dict[int, str], dict[int, str]]:
    customers = customer_services.names_of(db.session, {t.customer_id for t in tickets})
    technicians = core_services.display_names(
        db.session, {t.technician_id for t in tickets if t.technician_id}
    )
    return customers, technicians


@bp.route("/tickets")
@requires("tickets.read")
def index():
    filters = _filters_from(request.args)
    page = services.list_tickets(
        db.session, scope_of(current_user, "tickets.read"), filters,
        request.args.get("cursor"), limit=50,
    )
    customers, technicians = _names_for(page.items)
    return render_template(
        "tickets/index.html", page=page, filters=filters, customers=customers,
        technicians=technicians, states=STATES, types=TICKET_TYPES, priorities=PRIORITIES,
        filter_args={k: v for k, v in request.args.items() if k != "cursor"},
    )


@home_tile("tickets.dispatch", order=10)
def _waiting_tile(session, user) -> TileView:
    waiting, emergencies = services.waiting_counts(session, scope_of(user, "tickets.dispatch"))
    hint = (_("%(count)s of them emergencies", count=emergencies) if emergencies
            else _("Send a technician from the dispatch board"))
    return TileView(_("Waiting for a technician"), str(waiting), hint,
                    url_for("tickets.dispatch_board"), alert=emergencies > 0)


@home_tile("tickets.work", order=20)
def _my_work_tile(session, user) -> TileView | None:
    if "technician" not in user.roles:
        return None
    return TileView(_("My open work orders"), str(services.open_count_of(session, user.id)),
                    _("Depart, arrive and finish with one tap"), url_for("tickets.mine"))


@bp.route("/tickets/mine")
@requires("tickets.work")
def mine():
    """The technician on the road: their open work orders, most urgent first."""
    tickets = services.open_tickets_of(db.session, current_user.id)
    customers, _technicians = _names_for(tickets)
    return render_template("tickets/mine.html", tickets=tickets, customers=customers,
                           next_stamp=NEXT_STAMP)


def _received_at(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=DEFAULT_ZONE)
    except ValueError as error:
        raise ValidationFailed(_("Not a date and time."), field="received_at") from error


@bp.route("/tickets/new", methods=["GET", "POST"])
@requires("tickets.write")
def new():
    form, errors = request.form, {}
    customer_id = request.values.get("customer_id", type=int)
    customer = (customer_services.get_customer(db.session, customer_id,
                                               customer_visibility.of(current_user))
                if customer_id else None)
    if request.method == "POST":
        try:
            ticket = services.open_ticket(
                db.session, current_user,
                type=form.get("type", ""), priority=form.get("priority", "normal"),
                customer_id=customer_id or 0, description=form.get("description", ""),
                service_address=form.get("service_address"), serial=form.get("serial") or None,
                received_at=_received_at(form.get("received_at")),
                scope=scope_of(current_user, "tickets.write"),
                seen_by=customer_visibility.of(current_user),
            )
        except DomainError as problem:
            db.session.rollback()
            errors = {problem.field or "_form": str(problem.message)}
        else:
            flash(_("Work order %(number)s opened.", number=ticket.number), "success")
            return redirect(url_for("tickets.show", ticket_id=ticket.id))
    units = customer_services.serials_of(db.session, customer.id) if customer else []
    query = request.args.get("customer_q", "").strip()
    found = (
        customer_services.search_customers(db.session, query, None, 20,
                                           customer_visibility.of(current_user)).items
        if query and customer is None else []
    )
    return render_template(
        "tickets/new.html", form=form, errors=errors, customer=customer, units=units,
        found=found, query=query, types=TICKET_TYPES, priorities=PRIORITIES,
    ), (422 if errors else 200)


def _next_steps(ticket) -> list[str]:
    may_dispatch = can(current_user, "tickets.dispatch")
    own = ticket.technician_id == current_user.id
    return [
        state for state in STATES
        if state in services.TRANSITIONS[ticket.state]
        and (may_dispatch or (own and state in services.FIELD_STEPS))
    ]


def _render_ticket(ticket, errors=None, status=200):
    customer = customer_services.get_customer(db.session, ticket.customer_id)
    parts = customer_services.parts_of(db.session, ticket.product_id) if ticket.product_id else []
    technicians = core_services.users_with_role(db.session, "technician")
    names = core_services.display_names(
        db.session, {ticket.technician_id} if ticket.technician_id else set()
    )
    return render_template(
        "tickets/show.html", ticket=ticket, customer=customer, errors=errors or {},
        next_steps=_next_steps(ticket) if can(current_user, "tickets.work") else [],
        technicians=technicians, technician_name=names.get(ticket.technician_id),
        parts=parts, parts_used=field_work.parts_used(db.session, ticket.id),
        part_names={part.id: part.name for part in parts},
        signoff=field_work.signoff_of(db.session, ticket.id),
        paid_work=field_work.is_paid_work(ticket),
        may_work=_may_work(ticket),
        **_loaner_context(ticket),
        **_gps_context(ticket),
    ), status


def _gps_context(ticket) -> dict:
    trail_stamps = stamps.stamps_of(db.session, ticket.id)
    return {
        "stamps": trail_stamps,
        "stamp_summary": stamps.summary(trail_stamps),
        "trail": trail.plot(ticket, trail_stamps, stamps.geofence_m()),
        "geofence_m": stamps.geofence_m(),
        "stamp_panel": ticket.technician_id == current_user.id
        and ticket.state not in FINISHED_STATES and can(current_user, "tickets.work"),
        "next_stamp": NEXT_STAMP.get(ticket.state),
    }


# The stamp a technician is expected to take next, highlighted on the phone.
NEXT_STAMP = {"assigned": "depart", "dispatched": "arrive", "waiting_parts": "depart",
              "waiting_customer": "depart", "on_site": "finish"}


def _loaner_context(ticket) -> dict:
    return {
        "loans": loaners.loans_of(db.session, ticket.id),
        "open_loan": loaners.open_loan(db.session, ticket.id),
        "shelf": loaners.shelf_for(db.session, ticket),
        "default_due_back": (local_today() + timedelta(days=DEFAULT_LOAN_DAYS)).isoformat(),
    }


def _may_work(ticket) -> bool:
    return can(current_user, "tickets.work") and (
        can(current_user, "tickets.dispatch") or ticket.technician_id == current_user.id
    )


@bp.route("/tickets/<int:ticket_id>")
@requires("tickets.read")
def show(ticket_id):
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    return _render_ticket(ticket)


@bp.route("/tickets/<int:ticket_id>/moves", methods=["POST"])
@requires("tickets.work")
def move(ticket_id):
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.work"))
    step = services.Move(
        to_state=request.form.get("to_state", ""),
        note=request.form.get("note") or None,
        technician_id=request.form.get("technician_id", type=int),
        reason=request.form.get("reason") or None,
        override_reason=request.form.get("override_reason") or None,
    )
    try:
        services.move_ticket(
            db.session, ticket, step, current_user, can(current_user, "tickets.dispatch"),
            may_override=can(current_user, "dispatch.override"),
        )
    except DomainError as problem:
        db.session.rollback()
        ticket = services.get_ticket(db.session, ticket_id)
        # Fields with an input on the page get the message beside it; the rest at the top.
        shown = ("technician_id", "reason", "override_reason")
        field = problem.field if problem.field in shown else "_form"
        return _render_ticket(ticket, {field: str(problem.message)}, problem.status)
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


def _field_action(ticket_id, action):
    """Run one on-site action for the work order; on refusal show the page with the reason."""
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.work"))
    try:
        field_work.ensure_may_work(ticket, current_user, can(current_user, "tickets.dispatch"))
        action(ticket)
    except DomainError as problem:
        db.session.rollback()
        ticket = services.get_ticket(db.session, ticket_id)
        return _render_ticket(ticket, {problem.field or "_form": str(problem.message)},
                              problem.status)
    return redirect(url_for("tickets.show", ticket_id=ticket_id))


def _fen(text: str | None) -> int:
    """Yuan as typed (128 or 128.50) into fen, exactly: money is never a float."""
    try:
        amount = Decimal((text or "").strip())
    except InvalidOperation as error:
        raise ValidationFailed(_("Give the amount in yuan, e.g. 128.50."), "amount_fen") from error
    if amount != amount.quantize(Decimal("0.01")) or amount < 0:
        raise ValidationFailed(_("Give the amount in yuan, e.g. 128.50."), "amount_fen")
    return int(amount * 100)


@bp.route("/tickets/<int:ticket_id>/parts", methods=["POST"])
@requires("tickets.work")
def use_part(ticket_id):
    return _field_action(ticket_id, lambda ticket: field_work.use_part(
        db.session, ticket, request.form.get("part_id", type=int) or 0,
        request.form.get("quantity", type=int) or 0, current_user,
    ))


@bp.route("/tickets/<int:ticket_id>/quote", methods=["POST"])
@requires("tickets.work")
def quote(ticket_id):
    return _field_action(ticket_id, lambda ticket: field_work.quote(
        db.session, ticket, _fen(request.form.get("amount"))
    ))


@bp.route("/tickets/<int:ticket_id>/quote/acceptance", methods=["POST"])
@requires("tickets.work")
def accept_quote(ticket_id):
    return _field_action(ticket_id, lambda ticket: field_work.accept_quote(db.session, ticket))


@bp.route("/tickets/<int:ticket_id>/signoff", methods=["POST"])
@requires("tickets.work")
def sign_off(ticket_id):
    return _field_action(ticket_id, lambda ticket: field_work.sign_off(
        db.session, ticket, request.form.get("signer_name", ""),
        field_work.decode_signature(request.form.get("signature", "")), current_user,
    ))


@bp.route("/tickets/<int:ticket_id>/loans", methods=["POST"])
@requires("tickets.work")
def lend_loaner(ticket_id):
    return _field_action(ticket_id, lambda ticket: loaners.lend(
        db.session, ticket, request.form.get("loaner_id", type=int) or 0,
        _day(request.form.get("due_back_on"), "due_back_on"), current_user,
    ))


@bp.route("/tickets/<int:ticket_id>/loans/return", methods=["POST"])
@requires("tickets.work")
def take_back_loaner(ticket_id):
    return _field_action(ticket_id, lambda ticket: loaners.take_back(
        db.session, ticket, request.form.get("condition", "")
    ))


def _day(text: str | None, field: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError as error:
        raise ValidationFailed(_("Give a date."), field) from error


@bp.route("/tickets/<int:ticket_id>/signature.png")
@requires("tickets.read")
def signature(ticket_id):
    services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    signoff = field_work.signoff_of(db.session, ticket_id)
    if signoff is None:
        abort(404)
    response = make_response(signoff.image_png)
    response.headers["Content-Type"] = "image/png"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/tickets/<int:ticket_id>/record.pdf")
@requires("tickets.read")
def record_sheet_pdf(ticket_id):
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    response = make_response(record_sheet.render(db.session, ticket))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{ticket.number}.pdf"'
    return response


# The dispatch board's routes live beside, on this blueprint.
