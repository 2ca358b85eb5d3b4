"""The outbox page: every message to customers, newest first, as it was sent (or not)."""

from flask import render_template

from aftersales.core.auth import requires
from aftersales.core.forms import query_input
from aftersales.core.privacy import mask_phone
from aftersales.extensions import db
from aftersales.messaging import services
from aftersales.messaging.blueprint import bp
from aftersales.messaging.labels import Channel, MessageStatus, template_label
from aftersales.messaging.schemas import OutboxQuerySchema

PAGE_SIZE = 30


def masked(message) -> str:
    """The recipient as staff may see it: a phone number masked, an e-mail address kept to
    its first letter and domain, the portal as the portal."""
    if message.channel == Channel.SMS:
        return mask_phone(message.recipient)
    if message.channel == Channel.EMAIL:
        name, _at, domain = message.recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    return str(Channel.PORTAL.label)


@bp.route("/outbox")
@requires("messaging.read")
def outbox():
    query, _errors = query_input(OutboxQuerySchema())  # an unknown choice shows everything
    page = services.list_outbox(db.session, query["channel"], query["status"],
                                query["cursor"], PAGE_SIZE)
    return render_template("messaging/outbox.html", page=page, query=query,
                           channels=Channel, statuses=MessageStatus,
                           masked=masked, template_label=template_label,
                           shown_text=services.shown_text)
