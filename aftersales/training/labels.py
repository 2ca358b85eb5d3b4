"""What the coded values are called on pages and in exports."""

from flask_babel import lazy_gettext as _l

KINDS = {
    "technical": _l("Technical skills"),
    "business": _l("Business skills"),
    "service_culture": _l("Service culture"),
}
POSTS = {
    "service_manager": _l("Service manager"),
    "technician": _l("Technician"),
    "agent": _l("Service agent"),
    "dispatcher": _l("Dispatcher"),
    "trainer": _l("Trainer"),
    "supervisor": _l("Service supervisor"),
    "other": _l("Other"),
}
DEPARTMENTS = {
    "after_sales": _l("After-sales department"),
    "supervision": _l("Service supervision"),
    "customer_service": _l("Customer service centre"),
    "technical": _l("Technical department"),
    "quality": _l("Quality department"),
    "other": _l("Other"),
}
CERTIFICATES = {
    "service_manager": _l("Certified after-sales service manager"),
    "electrician": _l("Electrician's licence"),
    "refrigeration": _l("Refrigeration work licence"),
    "gas": _l("Gas appliance work licence"),
    "height_work": _l("Work-at-height licence"),
}
METHODS = {"qr": _l("QR code"), "roster": _l("Roster")}
WORK_TYPES = {
    "repair": _l("Repair"),
    "installation": _l("Installation"),
    "maintenance": _l("Maintenance"),
    "delivery": _l("Delivery"),
    "return": _l("Return"),
    "recycling": _l("Recycling"),
}


def _label(table: dict, value: str | None) -> str:
    return str(table.get(value, value or ""))


def kind(value): return _label(KINDS, value)  # noqa: E704
def post(value): return _label(POSTS, value)  # noqa: E704
def department(value): return _label(DEPARTMENTS, value)  # noqa: E704
def certificate(value): return _label(CERTIFICATES, value)  # noqa: E704
def method(value): return _label(METHODS, value)  # noqa: E704
def work_type(value): return _label(WORK_TYPES, value)  # noqa: E704
