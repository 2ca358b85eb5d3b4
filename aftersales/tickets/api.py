from flask_login import current_user
from flask_smorest import Blueprint

from aftersales.core.auth import can, requires
from aftersales.core.pagination import page_schema
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.tickets import services
from aftersales.tickets.schemas import (
    MoveSchema,
    TicketDetailSchema,
    TicketInSchema,
    TicketOutSchema,
    TicketQuerySchema,
)

blp = Blueprint("tickets_api", __name__, url_prefix="/api/v1", description="Work orders")


@blp.route("/tickets")
@blp.arguments(TicketQuerySchema, location="query")
@blp.response(200, page_schema(TicketOutSchema))
@requires("tickets.read")
def list_tickets(args):
    cursor, limit = args.pop("cursor"), args.pop("limit")
    return services.list_tickets(
        db.session, scope_of(current_user, "tickets.read"), services.TicketFilters(**args),
        cursor, limit,
    )


@blp.route("/tickets", methods=["POST"])
@blp.arguments(TicketInSchema)
@blp.response(201, TicketDetailSchema)
@requires("tickets.write")
def open_ticket(data):
    ticket = services.open_ticket(db.session, current_user, **data)
    return services.get_ticket(db.session, ticket.id)


@blp.route("/tickets/<int:ticket_id>")
@blp.response(200, TicketDetailSchema)
@requires("tickets.read")
def get_ticket(ticket_id):
    return services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))


@blp.route("/tickets/<int:ticket_id>/moves", methods=["POST"])
@blp.arguments(MoveSchema)
@blp.response(200, TicketDetailSchema)
@requires("tickets.work")
def move_ticket(data, ticket_id):
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.work"))
    services.move_ticket(
        db.session, ticket, services.Move(**data), current_user,
        may_dispatch=can(current_user, "tickets.dispatch"),
    )
    return services.get_ticket(db.session, ticket_id)
