"""Pages: the work-order list, a technician's own list, opening a work order, and one
work order with its SLA clocks, timeline and the steps it may take next."""

from datetime import timedelta

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core import services as core_services
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.forms import (
    form_input,
    on_refusal,
    placed,
    query_input,
    query_string,
    submitted,
)
from aftersales.core.history import field_labels, personal_fields, record_titles, value_labels
from aftersales.core.home import TileView, home_tile
from aftersales.core.permissions import scope_of
from aftersales.core.vocabulary import labeller
from aftersales.customers import attestations
from aftersales.customers import services as customer_services
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db
from aftersales.tickets import (
    customer_steps,
    field_work,
    loaners,
    photos,
    record_sheet,
    services,
    settings,
    stamps,
    stock,
    trail,
)
from aftersales.tickets import registry as ticket_registry
from aftersales.tickets.blueprint import bp
from aftersales.tickets.labels import (
    CHANNEL_LABELS,
    FIELD_LABELS,
    PRIORITY_LABELS,
    STATE_LABELS,
    TYPE_LABELS,
    WARRANTY_LABELS,
    ticket_number,
)
from aftersales.tickets.models import FINISHED_STATES, PRIORITIES, STATES, TICKET_TYPES
from aftersales.tickets.schemas import (
    CustomerLinkPageSchema,
    LendSchema,
    MoveSchema,
    PartUseSchema,
    QuotePageSchema,
    SignoffInSchema,
    TakeBackSchema,
    TicketPageQuerySchema,
    TicketPageSchema,
    TicketQuerySchema,
    WorkReturnSchema,
)

DEFAULT_LOAN_DAYS = 14
OPEN_STATES = tuple(state for state in STATES if state not in FINISHED_STATES)


# Globals, not a context processor: imported macros (tickets/_badges.html) see globals only.
for _name, _labels in (
    ("state_label", STATE_LABELS),
    ("type_label", TYPE_LABELS),
    ("priority_label", PRIORITY_LABELS),
    ("warranty_label", WARRANTY_LABELS),
    ("channel_label", CHANNEL_LABELS),
):
    bp.add_app_template_global(labeller(_labels), _name)

field_labels("tickets", FIELD_LABELS)
record_titles("tickets", ticket_number)
value_labels("tickets", {"state": STATE_LABELS, "type": TYPE_LABELS, "priority": PRIORITY_LABELS,
                         "warranty_status": WARRANTY_LABELS, "channel": CHANNEL_LABELS})
personal_fields("tickets", addresses=("service_address",),
                places=("service_latitude", "service_longitude"))


def _filters_from(query: dict) -> services.TicketFilters:
    return services.TicketFilters(state=query["state"], type=query["type"],
                                  priority=query["priority"], overdue=query["overdue"],
                                  q=query["q"])


def _names_for(tickets) -> tuple[dict[int, str], dict[int, str]]:
    customers = customer_services.names_of(db.session, {t.customer_id for t in tickets})
    technicians = core_services.display_names(
        db.session, {t.technician_id for t in tickets if t.technician_id}
    )
    return customers, technicians


@bp.route("/tickets")
@requires("tickets.read")
def index():
    query, _errors = query_input(TicketQuerySchema())  # a bad filter value is ignored
    filters = _filters_from(query)
    page = services.list_tickets(
        db.session, scope_of(current_user, "tickets.read"), filters, query["cursor"], limit=50,
    )
    customers, technicians = _names_for(page.items)
    return render_template(
        "tickets/index.html", page=page, filters=filters, customers=customers,
        technicians=technicians, states=STATES, types=TICKET_TYPES, priorities=PRIORITIES,
        filter_args={k: v for k, v in query_string().items() if k != "cursor"},
    )


@home_tile("tickets.dispatch", order=10, jobs=frozenset({"dispatcher"}))
def _waiting_tile(session, user) -> TileView:
    waiting, emergencies = services.waiting_counts(session, scope_of(user, "tickets.dispatch"))
    hint = (_("%(count)s of them emergencies", count=emergencies) if emergencies
            else _("Send a technician from the dispatch board"))
    return TileView(_("Waiting for a technician"), str(waiting), hint,
                    url_for("tickets.dispatch_board"), alert=emergencies > 0)


@home_tile("tickets.work", order=20, jobs=frozenset({"technician"}))
def _my_work_tile(session, user) -> TileView:
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


def _render_new(errors: dict, status: int):
    query, _errors = query_input(TicketPageQuerySchema())
    customer = (customer_services.get_customer(db.session, query["customer_id"],
                                               customer_visibility.of(current_user))
                if query["customer_id"] else None)
    units = customer_services.serials_of(db.session, customer.id) if customer else []
    found = (
        customer_services.search_customers(db.session, query["customer_q"], None, 20,
                                           customer_visibility.of(current_user)).items
        if query["customer_q"] and customer is None else []
    )
    form = submitted()
    offer = services.outlet_offer(
        db.session, customer.id, form.get("serial"), scope_of(current_user, "tickets.write"),
        customer_visibility.of(current_user)) if customer else None
    return render_template(
        "tickets/new.html", form=form, errors=errors, customer=customer, units=units,
        found=found, query=query["customer_q"], types=TICKET_TYPES, priorities=PRIORITIES,
        offer=offer,
    ), status


@bp.route("/tickets/new")
@requires("tickets.write")
def new():
    return _render_new({}, 200)


@bp.route("/tickets/new", methods=["POST"])
@requires("tickets.write")
@on_refusal(_render_new)
def open_ticket():
    data = form_input(TicketPageSchema())
    ticket = services.open_ticket(
        db.session, current_user, **data, scope=scope_of(current_user, "tickets.write"),
        seen_by=customer_visibility.of(current_user),
    )
    flash(_("Work order %(number)s opened.", number=ticket.number), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


def _next_steps(ticket) -> list[str]:
    may_dispatch = can(current_user, "tickets.dispatch")
    own = ticket.technician_id == current_user.id
    return [
        state for state in STATES
        if state in services.TRANSITIONS[ticket.state]
        and (may_dispatch or (own and state in services.FIELD_STEPS))
    ]


def _render_ticket(ticket, errors=None, status=200, shared=None):
    customer = customer_services.get_customer(db.session, ticket.customer_id)
    parts = customer_services.parts_of(db.session, ticket.product_id) if ticket.product_id else []
    technicians = core_services.users_with_role(db.session, "technician")
    # People by their names: the technician and whoever took each step.
    names = core_services.display_names(
        db.session, {ticket.technician_id, *(event.actor_id for event in ticket.events)} - {None}
    )
    return render_template(
        "tickets/show.html", ticket=ticket, customer=customer, errors=errors or {},
        next_steps=_next_steps(ticket) if can(current_user, "tickets.work") else [],
        technicians=technicians, technician_name=names.get(ticket.technician_id), people=names,
        parts=parts, parts_used=field_work.parts_used(db.session, ticket.id),
        part_names={part.id: part.name for part in parts},
        signoff=field_work.signoff_of(db.session, ticket.id),
        photos=photos.photos_of(db.session, ticket.id),
        paid_work=field_work.is_paid_work(ticket),
        **_charges_context(ticket),
        **_product_context(ticket),
        may_work=_may_work(ticket),
        **_loaner_context(ticket),
        **_gps_context(ticket),
        **_customer_context(ticket),
        shared=shared,
        panels=ticket_registry.panels_of(db.session, ticket.id),
    ), status


ATTESTED_STEP_LABELS = attestations.AttestedStep.labels()
ATTESTATION_CHANNEL_LABELS = attestations.AttestationChannel.labels()


def _customer_context(ticket) -> dict:
    """What the customer confirmed from their own phone, and the links the technician may
    show them now."""
    return {
        "customer_acts": attestations.acts_of(db.session, "ticket", [ticket.id]).get(
            ticket.id, []),
        "askable": customer_steps.askable_now(ticket) if _may_work(ticket) else [],
        "attested_step_label": ATTESTED_STEP_LABELS.get,
        "attestation_channel_label": ATTESTATION_CHANNEL_LABELS.get,
    }


def _charges_context(ticket) -> dict:
    charges = field_work.charges_of(db.session, ticket)
    return {
        "charges": charges,
        "over_quote": field_work.is_paid_work(ticket) and field_work.exceeds_quote(ticket, charges),
        "quotes": field_work.quotes_of(db.session, ticket.id),
    }


def _product_context(ticket) -> dict:
    """The unit as people name it: the product, its model and serial, and when it was sold."""
    return {
        "product": customer_services.get_product(db.session, ticket.product_id)
        if ticket.product_id else None,
        "unit": customer_services.get_serial(db.session, ticket.serial_id)
        if ticket.serial_id else None,
    }


def _gps_context(ticket) -> dict:
    trail_stamps = stamps.stamps_of(db.session, ticket.id)
    return {
        "stamps": trail_stamps,
        "stamp_summary": stamps.summary(trail_stamps),
        "trail": trail.plot(ticket, trail_stamps, settings.current().geofence_m),
        "geofence_m": settings.current().geofence_m,
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


@bp.route("/tickets/<int:ticket_id>/photos/<int:photo_id>")
@requires("tickets.read")
def photo(ticket_id, photo_id):
    """A photo the customer sent with the report, to those who may read the work order."""
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    content, media_type = photos.photo_content(db.session, ticket, photo_id)
    response = make_response(content)
    response.headers["Content-Type"] = media_type
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# The inputs the work-order page shows; a reason about anything else goes to the top.
PAGE_FIELDS = frozenset({
    "technician_id", "reason", "override_reason", "part_id", "quantity", "amount",
    "loaner_id", "due_back_on", "signer_name", "signature", "removed_serial", "step",
})


def _refused(errors: dict, status: int, ticket_id: int, shown: frozenset = PAGE_FIELDS):
    # Read in the user's scope again: a work order they may not see stays a 404.
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    return _render_ticket(ticket, placed(errors, shown), status)


def _workable(ticket_id: int):
    """The work order, if the user may do on-site work on it (a dispatcher, or its own
    technician)."""
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.work"))
    field_work.ensure_may_work(ticket, current_user, can(current_user, "tickets.dispatch"))
    return ticket


def _back_to(ticket_id: int, anchor: str | None = None):
    return redirect(url_for("tickets.show", ticket_id=ticket_id, _anchor=anchor))


def _back_to_charges(ticket):
    """Paid work goes back to its charges, where a part over the quote is re-quoted: on a
    phone they are screens below the top."""
    return _back_to(ticket.id, "charges" if field_work.is_paid_work(ticket) else None)


@bp.route("/tickets/<int:ticket_id>/moves", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def move(ticket_id):
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.work"))
    step = services.Move(**form_input(MoveSchema()))
    services.move_ticket(
        db.session, ticket, step, current_user, can(current_user, "tickets.dispatch"),
        may_override=can(current_user, "dispatch.override"),
    )
    flash(_("Work order %(number)s is now %(state)s.", number=ticket.number,
            state=STATE_LABELS[ticket.state]), "success")
    return _back_to(ticket_id)


@bp.route("/tickets/<int:ticket_id>/parts", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def use_part(ticket_id):
    data = form_input(PartUseSchema())
    ticket = _workable(ticket_id)
    field_work.use_part(db.session, ticket, data["part_id"], data["quantity"], current_user,
                        removed_serial=data["removed_serial"])
    return _back_to_charges(ticket)


def _return_refused(errors: dict, status: int, ticket_id: int, usage_id: int):
    """The reason goes beside the line of parts that was to go back."""
    reason = next(iter(errors.values()))
    return _refused({f"returns.{usage_id}": reason}, status, ticket_id,
                    shown=frozenset({f"returns.{usage_id}"}))


@bp.route("/tickets/<int:ticket_id>/parts/<int:usage_id>/returns", methods=["POST"])
@requires("tickets.work")
@on_refusal(_return_refused)
def return_part(ticket_id, usage_id):
    data = form_input(WorkReturnSchema())
    ticket = _workable(ticket_id)
    stock.return_from_work(db.session, ticket, usage_id, data["quantity"], current_user,
                           data["note"])
    return _back_to_charges(ticket)


@bp.route("/tickets/<int:ticket_id>/quote", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def quote(ticket_id):
    data = form_input(QuotePageSchema())
    ticket = _workable(ticket_id)
    customer_steps.quote(db.session, ticket, data["amount_fen"], current_user)
    return _back_to_charges(ticket)


@bp.route("/tickets/<int:ticket_id>/customer-link", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def share_customer_link(ticket_id):
    """A one-time link for the customer standing here: shown as a QR code to scan, or an
    address to send in WeChat, once (only its hash is kept)."""
    data = form_input(CustomerLinkPageSchema())
    ticket = _workable(ticket_id)
    address = customer_steps.share(db.session, ticket, data["step"])
    import segno  # drawn for this page only: not loaded at start

    qr = segno.make(address, error="m").svg_data_uri(scale=5, border=2)
    return _render_ticket(ticket, shared={"step": data["step"], "address": address, "qr": qr})


@bp.route("/tickets/<int:ticket_id>/quote/acceptance", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def accept_quote(ticket_id):
    ticket = _workable(ticket_id)
    field_work.accept_quote(db.session, ticket)
    return _back_to_charges(ticket)


@bp.route("/tickets/<int:ticket_id>/signoff", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def sign_off(ticket_id):
    data = form_input(SignoffInSchema())
    field_work.sign_off(db.session, _workable(ticket_id), data["signer_name"],
                        field_work.decode_signature(data["signature"]), current_user)
    return _back_to(ticket_id)


@bp.route("/tickets/<int:ticket_id>/loans", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def lend_loaner(ticket_id):
    data = form_input(LendSchema())
    loaners.lend(db.session, _workable(ticket_id), data["loaner_id"], data["due_back_on"],
                 current_user)
    return _back_to(ticket_id)


@bp.route("/tickets/<int:ticket_id>/loans/return", methods=["POST"])
@requires("tickets.work")
@on_refusal(_refused)
def take_back_loaner(ticket_id):
    data = form_input(TakeBackSchema())
    loaners.take_back(db.session, _workable(ticket_id), data["condition"])
    return _back_to(ticket_id)


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
