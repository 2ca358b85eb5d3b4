from flask_login import current_user
from flask_smorest import Blueprint

from aftersales.core.auth import requires
from aftersales.core.pagination import page_schema
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services
from aftersales.outlets.schemas import OutletInSchema, OutletOutSchema, OutletQuerySchema

blp = Blueprint("outlets_api", __name__, url_prefix="/api/v1", description="Service outlets")


@blp.route("/outlets")
@blp.arguments(OutletQuerySchema, location="query")
@blp.response(200, page_schema(OutletOutSchema))
@requires("outlets.read")
def list_outlets(args):
    scope = scope_of(current_user, "outlets.read")
    return services.list_outlets(
        db.session, scope, args["province"], args["cursor"], args["limit"]
    )


@blp.route("/outlets", methods=["POST"])
@blp.arguments(OutletInSchema)
@blp.response(201, OutletOutSchema)
@requires("outlets.write")
def create_outlet(data):
    return services.create_outlet(db.session, **data)
