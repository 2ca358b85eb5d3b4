"""How complaint codes read to people (pages and messages), in the user's language."""

from flask_babel import lazy_gettext as _l

CHANNEL_LABELS = {
    "hotline": _l("Hotline"),
    "portal": _l("Online portal"),
    "email": _l("E-mail"),
    "on_site": _l("On site"),
    "social_media": _l("Social media"),
    "regulator": _l("Regulator referral (12315)"),
}
CATEGORY_LABELS = {
    "product_quality": _l("Product quality"),
    "repair_quality": _l("Repair quality"),
    "service_attitude": _l("Service attitude"),
    "timeliness": _l("Timeliness"),
    "fees": _l("Fees"),
    "delivery_installation": _l("Delivery and installation"),
    "other": _l("Other"),
}
SEVERITY_LABELS = {
    "critical": _l("Critical"),
    "serious": _l("Serious"),
    "normal": _l("Normal"),
    "minor": _l("Minor"),
}
STATE_LABELS = {
    "received": _l("Awaiting response"),
    "acknowledged": _l("Being handled"),
    "resolved": _l("Resolved, awaiting confirmation"),
    "closed": _l("Closed"),
}
CLOCK_LABELS = {"response": _l("First response"), "resolution": _l("Resolution")}
ARCHIVE_LABELS = {
    "record": _l("Complaint record"),
    "response": _l("Response"),
    "resolution": _l("Resolution and root cause"),
    "confirmation": _l("Customer confirmation"),
    "attachments": _l("Attachments"),
}
RECIPIENT_LABELS = {
    "handler": _l("Handler"),
    "supervisor": _l("Supervisor"),
    "manager": _l("Manager"),
}
EVENT_LABELS = {
    "received": _l("Received"),
    "acknowledged": _l("Responded"),
    "note": _l("Note"),
    "paused": _l("Waiting for the customer"),
    "resumed": _l("Resumed"),
    "resolved": _l("Resolved"),
    "mediated": _l("Mediation"),
    "confirmed": _l("Customer confirmed"),
    "closed": _l("Closed"),
    "reopened": _l("Reopened"),
    "escalated": _l("Escalated"),
    "attached": _l("Attachment"),
}
