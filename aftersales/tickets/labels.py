"""How work-order codes read to people (pages and messages), in the user's language."""

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "new": _l("New"),
    "assigned": _l("Assigned"),
    "dispatched": _l("Dispatched"),
    "on_site": _l("On site"),
    "waiting_parts": _l("Waiting for parts"),
    "waiting_customer": _l("Waiting for the customer"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
}
TYPE_LABELS = {
    "repair": _l("Repair"),
    "installation": _l("Installation"),
    "maintenance": _l("Maintenance"),
    "delivery": _l("Delivery"),
    "return": _l("Return or exchange"),
    "recycling": _l("Recycling"),
}
PRIORITY_LABELS = {"emergency": _l("Emergency"), "normal": _l("Normal")}
WARRANTY_LABELS = {
    "in_warranty": _l("In warranty"),
    "expired": _l("Out of warranty"),
    "unknown": _l("Warranty unknown"),
}
