"""The desk's customer pages: a first-time caller's record and the unit they bought, made
during the call and handed back to the agent console; and the anti-counterfeit check."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.forms import form_input, on_refusal, placed, query_input, submitted
from aftersales.core.history import field_labels, personal_fields, record_names, value_labels
from aftersales.customers import labels, services, visibility
from aftersales.customers.blueprint import bp
from aftersales.customers.models import CustomerKind
from aftersales.customers.schemas import (
    CustomerFormSchema,
    NewCustomerQuerySchema,
    SerialCheckQuerySchema,
    UnitFormSchema,
)
from aftersales.extensions import db

PRODUCTS_OFFERED = 500
UNIT_FIELDS = frozenset({"serial", "product_id", "sold_on"})
NEW_FIELDS = frozenset({"kind", "name", "phone", "province", "city", "district", "address",
                        *UNIT_FIELDS})

# Any module's page names a product category in words and offers the categories to choose.
bp.add_app_template_global(labels.category_label, "product_category_label")
record_names("customers", services.names_of)
record_names("products", services.product_names)
field_labels("customers", {
    "kind": _l("Customer type"), "name": _l("Customer name"), "phone": _l("Phone"),
    "alt_phone": _l("Alternative phone"), "province": _l("Province"), "city": _l("City"),
    "district": _l("District"), "address": _l("Address"), "latitude": _l("Latitude"),
    "longitude": _l("Longitude")})
value_labels("customers", {"kind": CustomerKind.labels()})
personal_fields("customers", phones=("phone", "alt_phone"), addresses=("address",),
                places=("latitude", "longitude"))
bp.add_app_template_global(labels.category_options, "product_category_options")


def _render_new(errors: dict, status: int):
    query, _errors = query_input(NewCustomerQuerySchema())
    looked_up = query["number"]
    return render_template(
        "customers/new.html", form=submitted(), errors=placed(errors, NEW_FIELDS),
        number=looked_up, phone=looked_up if looked_up.replace(" ", "").isdigit() else "",
        kinds=CustomerKind.labels().items(),
        product_options=_product_options(),
    ), status


def _product_options() -> list[tuple[int, str]]:
    products = services.list_products(db.session, None, None, PRODUCTS_OFFERED).items
    return [(product.id, f"{product.model_code} · {product.name}") for product in products]


def _back_to_console(customer):
    """To the agent console with the customer chosen, for the call's work order; those who
    do not log calls stay on the page they were on."""
    if not can(current_user, "calls.write"):
        return None
    return redirect(url_for("calls.console", number=customer.phone, customer_id=customer.id))


@bp.route("/new", methods=["GET", "POST"])
@requires("customers.write")
@on_refusal(_render_new)
def new():
    """A first-time caller: their record and, when they name it, the unit they bought;
    back to the console with them chosen, so the call gets its work order."""
    if request.method == "GET":
        return _render_new({}, 200)
    data = form_input(CustomerFormSchema())
    customer = services.create_customer(
        db.session, kind=data["kind"], name=data["name"], phone=data["phone"],
        province=data["province"], city=data["city"], district=data["district"],
        address=data["address"])
    if data["serial"]:
        services.register_serial(db.session, data["product_id"], data["serial"],
                                 data["sold_on"], customer.id)
    flash(_("Customer %(name)s recorded.", name=customer.name), "success")
    return _back_to_console(customer) or redirect(url_for("customers.new"))


def _render_unit(errors: dict, status: int, customer_id: int):
    customer = services.get_customer(db.session, customer_id, visibility.of(current_user))
    query, _errors = query_input(NewCustomerQuerySchema())
    return render_template(
        "customers/unit_new.html", customer=customer, number=query["number"],
        form=submitted(), errors=placed(errors, UNIT_FIELDS),
        product_options=_product_options(),
    ), status


@bp.route("/<int:customer_id>/units", methods=["GET", "POST"])
@requires("customers.write")
@on_refusal(_render_unit)
def add_unit(customer_id):
    """Another unit a known customer bought, registered with its warranty while they are on
    the line; back to the console with them chosen."""
    if request.method == "GET":
        return _render_unit({}, 200, customer_id)
    customer = services.get_customer(db.session, customer_id, visibility.of(current_user))
    data = form_input(UnitFormSchema())
    unit = services.register_serial(db.session, data["product_id"], data["serial"],
                                    data["sold_on"], customer.id)
    flash(_("Unit %(serial)s recorded for %(name)s.", serial=unit.serial, name=customer.name),
          "success")
    return _back_to_console(customer) or redirect(
        url_for("customers.add_unit", customer_id=customer.id))


@bp.route("/serial-check")
@requires("customers.write")
def serial_check():
    """防伪查询 (5.3.1.1): is this a unit of ours? Its product, day sold and warranty; the
    owner only to those who may see them."""
    query, _errors = query_input(SerialCheckQuerySchema())
    unit = services.unit_of_code(db.session, query["code"])
    return render_template(
        "customers/serial_check.html", code=query["code"], unit=unit,
        warranty=services.warranty_on(unit, local_today()) if unit else None,
        owner=services.owner_shown(db.session, unit, visibility.of(current_user))
        if unit else None,
    )
