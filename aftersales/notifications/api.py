"""/api/v1/notifications: the caller's own notifications."""

from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.extensions import db
from aftersales.notifications import services
from aftersales.notifications.blueprint import blp
from aftersales.notifications.schemas import (
    MarkedSchema,
    MarkReadInSchema,
    NotificationPageSchema,
    NotificationQuerySchema,
)


@blp.route("/notifications")
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationPageSchema)
@requires("notifications.self")
def list_notifications(args):
    return services.list_for(db.session, current_user.id, args["unread"], args["cursor"],
                             args["limit"])


@blp.route("/notifications/read", methods=["POST"])
@blp.arguments(MarkReadInSchema)
@blp.response(200, MarkedSchema)
@requires("notifications.self")
def mark_read(payload):
    ids = None if payload["all"] else payload["ids"]
    return {"marked": services.mark_read(db.session, current_user.id, ids)}
