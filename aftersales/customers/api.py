from flask_smorest import Blueprint

from aftersales.core.auth import requires
from aftersales.core.pagination import page_schema
from aftersales.customers import services
from aftersales.customers.schemas import (
    CustomerInSchema,
    CustomerOutSchema,
    CustomerQuerySchema,
    ProductInSchema,
    ProductOutSchema,
    ProductQuerySchema,
)
from aftersales.extensions import db

blp = Blueprint("customers_api", __name__, url_prefix="/api/v1", description="Customers, products")


@blp.route("/customers")
@blp.arguments(CustomerQuerySchema, location="query")
@blp.response(200, page_schema(CustomerOutSchema))
@requires("customers.read")
def list_customers(args):
    return services.search_customers(db.session, args["q"], args["cursor"], args["limit"])


@blp.route("/customers", methods=["POST"])
@blp.arguments(CustomerInSchema)
@blp.response(201, CustomerOutSchema)
@requires("customers.write")
def create_customer(data):
    return services.create_customer(db.session, **data)


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
