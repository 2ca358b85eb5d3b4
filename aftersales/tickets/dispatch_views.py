"""The dispatch board page and its assign action (routes on the tickets blueprint)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from aftersales.core import charts
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today, utcnow
from aftersales.core.forms import form_input, on_refusal
from aftersales.core.permissions import scope_of
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets import dispatch, qualification, services
from aftersales.tickets.blueprint import bp
from aftersales.tickets.schemas import AssignSchema

bp.add_app_template_global(qualification.certificate_names, "certificate_names")


def _render_board(errors: dict | None = None, status: int = 200):
    scope = scope_of(current_user, "tickets.dispatch")
    board = dispatch.board(db.session, scope, utcnow(), local_today())
    suggestions = dispatch.suggestions(db.session, board.unassigned, board.technicians)
    names = customer_services.names_of(
        db.session, {t.customer_id for t in board.unassigned + board.at_risk}
    )
    technician_names = {t.id: t.name for t in board.technicians}
    return render_template(
        "tickets/dispatch.html", board=board, suggestions=suggestions, customers=names,
        technician_names=technician_names, errors=errors or {},
        map=_board_map(board, suggestions),
        may_override=can(current_user, "dispatch.override"), now=utcnow(),
    ), status


def _board_map(board: dispatch.Board, suggestions: dict) -> Markup:
    """The waiting orders and where the technicians are, each order joined to the first
    technician suggested for it; a mark leads to its entry in the list beside the map."""
    places, index = [], {}
    for technician in board.technicians:
        if technician.latitude is not None:
            index[technician.id] = len(places)
            kind = "technician" if technician.position_source == "gps" else "technician-at-outlet"
            places.append(charts.Place(float(technician.latitude), float(technician.longitude),
                                       technician.name, kind, f"#technician-{technician.id}"))
    links, spots = [], {}
    for ticket in board.unassigned:  # orders at one address share one mark
        if ticket.service_latitude is not None:
            spots.setdefault((ticket.service_latitude, ticket.service_longitude), []).append(ticket)
    for (latitude, longitude), tickets in spots.items():
        first, ranked = tickets[0], suggestions[tickets[0].id]
        if ranked and ranked[0].technician.id in index:
            links.append((len(places), index[ranked[0].technician.id]))
        label = first.number if len(tickets) == 1 else _(
            "%(number)s and %(count)d more", number=first.number, count=len(tickets) - 1)
        places.append(charts.Place(float(latitude), float(longitude), label, "order",
                                   f"#ticket-{first.id}"))
    return charts.place_map(
        places, links, title=_("Map of the waiting work orders and the technicians"),
        empty=_("Nothing to show on the map: no position known."))


@bp.route("/dispatch")
@requires("tickets.dispatch")
def dispatch_board():
    return _render_board()


@bp.route("/dispatch/<int:ticket_id>/assign", methods=["POST"])
@requires("tickets.dispatch")
@on_refusal(lambda errors, status, ticket_id: _render_board({ticket_id: errors}, status))
def assign(ticket_id):
    ticket = services.get_ticket(db.session, ticket_id,
                                 scope_of(current_user, "tickets.dispatch"))
    move = services.Move("assigned", **form_input(AssignSchema()))
    services.move_ticket(db.session, ticket, move, current_user, may_dispatch=True,
                         may_override=can(current_user, "dispatch.override"))
    flash(_("%(number)s assigned.", number=ticket.number), "success")
    return redirect(url_for("tickets.dispatch_board"))
