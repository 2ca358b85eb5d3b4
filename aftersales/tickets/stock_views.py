"""Pages: an outlet's spare parts on hand and its ledger, and the desk's receipts,
transfers to another outlet and faulty parts sent back to the supplier."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.forms import form_input, on_refusal, query_input, submitted
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.tickets import stock
from aftersales.tickets.blueprint import bp
from aftersales.tickets.models import MovementKind
from aftersales.tickets.schemas import (
    StockPageQuerySchema,
    StockReceiptSchema,
    StockTransferSchema,
    SupplierReturnSchema,
)

LEDGER_PAGE = 50
# The form a refused post draws again, by the page that refused it.
ACTION_OF = {"tickets.receive_stock": "receive", "tickets.transfer_stock": "transfer",
             "tickets.return_to_supplier": "supplier"}


def _outlets_within(permission: str) -> list[tuple]:
    """(id, code, name) of the outlets the user holds `permission` for, by code."""
    scope = scope_of(current_user, permission)
    return [(outlet_id, code, name)
            for outlet_id, code, name, region in outlet_services.outlet_choices(db.session)
            if scope.allows(outlet_id, region)]


def _render(errors: dict, status: int):
    query, _errors = query_input(StockPageQuerySchema())
    outlets = _outlets_within("stock.read")
    if not outlets:
        return render_template("tickets/stock.html", outlet=None, outlets=[]), status
    outlet_id = query["outlet_id"] or outlets[0][0]
    if outlet_id not in {choice[0] for choice in outlets}:
        abort(404)  # another outlet's stock answers as if it did not exist
    read = scope_of(current_user, "stock.read")
    holdings = stock.holdings(db.session, outlet_id, read)
    writable = _outlets_within("stock.write")
    may_write = outlet_id in {choice[0] for choice in writable}
    return render_template(
        "tickets/stock.html", outlets=outlets, outlet=stock.outlet_in_scope(
            db.session, outlet_id, read),
        holdings=holdings,
        ledger=stock.ledger(db.session, outlet_id, read, query["part_id"], query["cursor"],
                            LEDGER_PAGE),
        part_id=query["part_id"], kind_labels=MovementKind.labels(), may_write=may_write,
        action=ACTION_OF.get(request.endpoint, query["action"]),
        part_options=[(part_id, f"{code} {name}") for part_id, code, name
                      in (stock.part_choices(db.session) if may_write else [])],
        holding_options=[(held.part_id, f"{held.part_code} {held.part_name} ({held.on_hand})")
                         for held in holdings if held.on_hand > 0],
        destinations=[(choice[0], f"{choice[1]} {choice[2]}") for choice in writable
                      if choice[0] != outlet_id],
        errors=errors, form=submitted(),
    ), status


@bp.route("/stock")
@requires("stock.read")
def stock_page():
    return _render({}, 200)


def _back_to(outlet_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("tickets.stock_page", outlet_id=outlet_id))


@bp.route("/stock/receipts", methods=["POST"])
@requires("stock.write")
@on_refusal(_render)
def receive_stock():
    data = form_input(StockReceiptSchema())
    on_hand = stock.receive_stock(db.session, **data, actor=current_user,
                                  scope=scope_of(current_user, "stock.write"))
    return _back_to(data["outlet_id"], _("Received: %(count)d now on hand.", count=on_hand))


@bp.route("/stock/transfers", methods=["POST"])
@requires("stock.write")
@on_refusal(_render)
def transfer_stock():
    data = form_input(StockTransferSchema())
    out, _into = stock.transfer(db.session, **data, actor=current_user,
                                scope=scope_of(current_user, "stock.write"))
    return _back_to(data["from_outlet_id"],
                    _("Transferred: %(count)d left here.", count=out.balance_after))


@bp.route("/stock/supplier-returns", methods=["POST"])
@requires("stock.write")
@on_refusal(_render)
def return_to_supplier():
    data = form_input(SupplierReturnSchema())
    sent = stock.return_to_supplier(db.session, **data, actor=current_user,
                                    scope=scope_of(current_user, "stock.write"))
    return _back_to(data["outlet_id"],
                    _("Sent back to the supplier: %(count)d left here.",
                      count=sent.balance_after))

