"""The customers module's blueprint: its API (it has no pages)."""

from flask_smorest import Blueprint

blp = Blueprint("customers_api", __name__, url_prefix="/api/v1", description="Customers, products")
