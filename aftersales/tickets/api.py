from flask_login import current_user

from aftersales.core.auth import can, requires
from aftersales.core.pagination import page_schema
from aftersales.core.permissions import scope_of
from aftersales.customers import visibility as customer_visibility
from aftersales.extensions import db
from aftersales.tickets import customer_steps, field_work, loaners, services, stamps, stock
from aftersales.tickets.blueprint import blp
from aftersales.tickets.schemas import (
    ChargesSchema,
    HoldingSchema,
    LedgerLineSchema,
    LedgerQuerySchema,
    LendSchema,
    LoanerInSchema,
    LoanerQuerySchema,
    LoanerSchema,
    LoanSchema,
    MoveSchema,
    PartUseSchema,
    QuoteSchema,
    SignoffInSchema,
    SignoffOutSchema,
    StampInSchema,
    StampOutSchema,
    StampReceiptSchema,
    StockLevelSchema,
    StockMovementSchema,
    StockReceiptSchema,
    StockTransferSchema,
    SupplierReturnSchema,
    TakeBackSchema,
    TicketDetailSchema,
    TicketInSchema,
    TicketOutSchema,
    TicketPartSchema,
    TicketQuerySchema,
    TransferOutSchema,
    WorkReturnSchema,
)


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
    ticket = services.open_ticket(db.session, current_user, **data,
                                  scope=scope_of(current_user, "tickets.write"),
                                  seen_by=customer_visibility.of(current_user))
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
        may_override=can(current_user, "dispatch.override"),
    )
    return services.get_ticket(db.session, ticket_id)


def _ticket_for_field_work(ticket_id):
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.work"))
    field_work.ensure_may_work(ticket, current_user, can(current_user, "tickets.dispatch"))
    return ticket


@blp.route("/tickets/<int:ticket_id>/parts")
@blp.response(200, TicketPartSchema(many=True))
@requires("tickets.read")
def list_parts_used(ticket_id):
    services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    return field_work.parts_used(db.session, ticket_id)


@blp.route("/tickets/<int:ticket_id>/parts", methods=["POST"])
@blp.arguments(PartUseSchema)
@blp.response(201, TicketPartSchema)
@requires("tickets.work")
def use_part(data, ticket_id):
    ticket = _ticket_for_field_work(ticket_id)
    return field_work.use_part(db.session, ticket, data["part_id"], data["quantity"], current_user,
                               removed_serial=data["removed_serial"])


@blp.route("/tickets/<int:ticket_id>/parts/<int:usage_id>/returns", methods=["POST"])
@blp.arguments(WorkReturnSchema)
@blp.response(200, TicketPartSchema)
@requires("tickets.work")
def return_part(data, ticket_id, usage_id):
    """Parts taken for the work order and not fitted, back into its outlet's stock."""
    return stock.return_from_work(db.session, _ticket_for_field_work(ticket_id), usage_id,
                                  data["quantity"], current_user, data["note"])


@blp.route("/tickets/<int:ticket_id>/quote", methods=["PUT"])
@blp.arguments(QuoteSchema)
@blp.response(200, TicketOutSchema)
@requires("tickets.work")
def quote(data, ticket_id):
    return customer_steps.quote(db.session, _ticket_for_field_work(ticket_id),
                                data["amount_fen"], current_user)


@blp.route("/tickets/<int:ticket_id>/quote/acceptance", methods=["POST"])
@blp.response(200, TicketOutSchema)
@requires("tickets.work")
def accept_quote(ticket_id):
    return field_work.accept_quote(db.session, _ticket_for_field_work(ticket_id))


@blp.route("/tickets/<int:ticket_id>/charges")
@blp.response(200, ChargesSchema)
@requires("tickets.read")
def get_charges(ticket_id):
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    charges = field_work.charges_of(db.session, ticket)
    return {"parts_fen": charges.parts_fen, "labour_fen": charges.labour_fen,
            "total_fen": charges.total_fen, "quote_fen": ticket.quote_fen,
            "quote_accepted_at": ticket.quote_accepted_at,
            "exceeds_quote": field_work.exceeds_quote(ticket, charges),
            "quotes": field_work.quotes_of(db.session, ticket.id)}


@blp.route("/tickets/<int:ticket_id>/signoff", methods=["POST"])
@blp.arguments(SignoffInSchema)
@blp.response(201, SignoffOutSchema)
@requires("tickets.work")
def sign_off(data, ticket_id):
    ticket = _ticket_for_field_work(ticket_id)
    image = field_work.decode_signature(data["signature"])
    return field_work.sign_off(db.session, ticket, data["signer_name"], image, current_user)


@blp.route("/stock/receipts", methods=["POST"])
@blp.arguments(StockReceiptSchema)
@blp.response(201, StockLevelSchema)
@requires("stock.write")
def receive_stock(data):
    on_hand = stock.receive_stock(
        db.session, data["outlet_id"], data["part_id"], data["quantity"], current_user,
        scope=scope_of(current_user, "stock.write"), note=data["note"],
    )
    return {"outlet_id": data["outlet_id"], "part_id": data["part_id"], "on_hand": on_hand}


@blp.route("/stock/transfers", methods=["POST"])
@blp.arguments(StockTransferSchema)
@blp.response(201, TransferOutSchema)
@requires("stock.write")
def transfer_stock(data):
    """Parts from one outlet's stock to another's; both outlets in the caller's scope."""
    out, into = stock.transfer(db.session, **data, actor=current_user,
                               scope=scope_of(current_user, "stock.write"))
    return {"out": out, "into": into}


@blp.route("/stock/supplier-returns", methods=["POST"])
@blp.arguments(SupplierReturnSchema)
@blp.response(201, StockMovementSchema)
@requires("stock.write")
def return_to_supplier(data):
    """Faulty parts out of an outlet's stock, back to the supplier, with the reason."""
    return stock.return_to_supplier(db.session, **data, actor=current_user,
                                    scope=scope_of(current_user, "stock.write"))


@blp.route("/stock/outlets/<int:outlet_id>/levels")
@blp.response(200, HoldingSchema(many=True))
@requires("stock.read")
def stock_levels(outlet_id):
    """The parts an outlet has had in stock and how many are on hand, by part number."""
    return stock.holdings(db.session, outlet_id, scope_of(current_user, "stock.read"))


@blp.route("/stock/outlets/<int:outlet_id>/movements")
@blp.arguments(LedgerQuerySchema, location="query")
@blp.response(200, page_schema(LedgerLineSchema))
@requires("stock.read")
def stock_movements(args, outlet_id):
    """An outlet's spare-parts ledger (of one part, or all), newest first."""
    return stock.ledger(db.session, outlet_id, scope_of(current_user, "stock.read"),
                        args["part_id"], args["cursor"], args["limit"])


@blp.route("/loaners")
@blp.arguments(LoanerQuerySchema, location="query")
@blp.response(200, LoanerSchema(many=True))
@requires("stock.write")
def list_loaners(args):
    scope = scope_of(current_user, "stock.write")
    return loaners.outlet_loaners(db.session, args["outlet_id"], scope)


@blp.route("/loaners", methods=["POST"])
@blp.arguments(LoanerInSchema)
@blp.response(201, LoanerSchema)
@requires("stock.write")
def register_loaner(data):
    return loaners.register_loaner(db.session, scope_of(current_user, "stock.write"), **data)


@blp.route("/tickets/<int:ticket_id>/loans")
@blp.response(200, LoanSchema(many=True))
@requires("tickets.read")
def list_loans(ticket_id):
    services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    return [loan for loan, _loaner in loaners.loans_of(db.session, ticket_id)]


@blp.route("/tickets/<int:ticket_id>/loans", methods=["POST"])
@blp.arguments(LendSchema)
@blp.response(201, LoanSchema)
@requires("tickets.work")
def lend_loaner(data, ticket_id):
    ticket = _ticket_for_field_work(ticket_id)
    return loaners.lend(db.session, ticket, data["loaner_id"], data["due_back_on"], current_user)


@blp.route("/tickets/<int:ticket_id>/loans/return", methods=["POST"])
@blp.arguments(TakeBackSchema)
@blp.response(200, LoanSchema)
@requires("tickets.work")
def take_back_loaner(data, ticket_id):
    return loaners.take_back(db.session, _ticket_for_field_work(ticket_id), data["condition"])


@blp.route("/tickets/<int:ticket_id>/stamps")
@blp.response(200, StampOutSchema(many=True))
@requires("tickets.read")
def list_stamps(ticket_id):
    services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.read"))
    return stamps.stamps_of(db.session, ticket_id)


@blp.route("/tickets/<int:ticket_id>/stamps", methods=["POST"])
@blp.arguments(StampInSchema)
@blp.response(201, StampReceiptSchema)
@blp.alt_response(200, schema=StampReceiptSchema,
                  description="A resend of a stamp already stored: the stored stamp, unchanged")
@requires("tickets.work")
def post_stamp(data, ticket_id):
    """A GPS stamp (depart, arrive, finish) from the technician's phone."""
    ticket = services.get_ticket(db.session, ticket_id, scope_of(current_user, "tickets.work"))
    result = stamps.record_stamp(
        db.session, ticket, stamps.StampIn(**{**data, "client_id": str(data["client_id"])}),
        current_user, may_dispatch=can(current_user, "tickets.dispatch"),
    )
    body = {"stamp": result.stamp, "resent": not result.created, "ticket_state": ticket.state,
            "message": stamps.describe(result.stamp)}
    return body if result.created else (body, 200)
