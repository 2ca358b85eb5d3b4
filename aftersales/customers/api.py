from flask_login import current_user

from aftersales.core import audit
from aftersales.core.auth import requires
from aftersales.core.clock import local_today
from aftersales.core.pagination import page_schema
from aftersales.customers import services, visibility
from aftersales.customers.blueprint import blp
from aftersales.customers.schemas import (
    CustomerInSchema,
    CustomerOutSchema,
    CustomerProfileSchema,
    CustomerQuerySchema,
    PartInSchema,
    PartOutSchema,
    ProductInSchema,
    ProductOutSchema,
    ProductQuerySchema,
    SerialInSchema,
    SerialWarrantySchema,
)
from aftersales.extensions import db


def _with_warranty(unit):
    unit.warranty = services.warranty_on(unit, local_today())
    return unit


@blp.route("/customers")
@blp.arguments(CustomerQuerySchema, location="query")
@blp.response(200, page_schema(CustomerOutSchema))
@requires("customers.read")
def list_customers(args):
    """Only the customers linked to work inside your scope (all, acting for the whole
    company); phones and addresses masked unless your role contacts customers."""
    return services.search_customers(db.session, args["q"], args["cursor"], args["limit"],
                                     visibility.of(current_user))


@blp.route("/customers", methods=["POST"])
@blp.arguments(CustomerInSchema)
@blp.response(201, CustomerOutSchema)
@requires("customers.write")
def create_customer(data):
    return services.create_customer(db.session, **data)


@blp.route("/customers/<int:customer_id>")
@blp.response(200, CustomerProfileSchema)
@requires("customers.read")
def customer_profile(customer_id):
    """A customer's full record and products; every read is written to the audit trail."""
    customer = services.get_customer(db.session, customer_id, visibility.of(current_user))
    audit.record_read(db.session, customer)
    customer.products = [_with_warranty(u) for u in services.serials_of(db.session, customer_id)]
    return customer


@blp.route("/products")
@blp.arguments(ProductQuerySchema, location="query")
@blp.response(200, page_schema(ProductOutSchema))
@requires("products.read")
def list_products(args):
    return services.list_products(db.session, args["category"], args["cursor"], args["limit"])


@blp.route("/products", methods=["POST"])
@blp.arguments(ProductInSchema)
@blp.response(201, ProductOutSchema)
@requires("products.write")
def create_product(data):
    return services.create_product(db.session, **data)


@blp.route("/products/<int:product_id>/parts")
@blp.response(200, PartOutSchema(many=True))
@requires("products.read")
def list_parts(product_id):
    services.get_product(db.session, product_id)
    return services.parts_of(db.session, product_id)


@blp.route("/products/<int:product_id>/parts", methods=["POST"])
@blp.arguments(PartInSchema)
@blp.response(201, PartOutSchema)
@requires("products.write")
def create_part(data, product_id):
    return services.create_part(db.session, product_id, **data)


@blp.route("/serials", methods=["POST"])
@blp.arguments(SerialInSchema)
@blp.response(201, SerialWarrantySchema)
@requires("customers.write")
def register_serial(data):
    return _with_warranty(services.register_serial(db.session, **data,
                                                   seen_by=visibility.of(current_user)))


@blp.route("/serials/<serial>")
@blp.response(200, SerialWarrantySchema)
@requires("customers.read")
def serial_warranty(serial):
    return _with_warranty(services.find_serial(db.session, serial, visibility.of(current_user)))
