"""/api/v1/messaging: what the desk records of a customer's wishes about messages."""

from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.extensions import db
from aftersales.messaging import services
from aftersales.messaging.blueprint import blp
from aftersales.messaging.schemas import PreferenceInSchema, PreferenceOutSchema


@blp.route("/preferences", methods=["POST"])
@blp.arguments(PreferenceInSchema)
@blp.response(200, PreferenceOutSchema)
@requires("messaging.preferences")
def record_preference(payload):
    services.record_preference(db.session, current_user, payload["customer_id"],
                               payload["opted_out"])
    return payload
