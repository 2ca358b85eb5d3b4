"""How complaint codes read to people (pages and messages), in the user's language."""

from flask_babel import lazy_gettext as _l

from aftersales.complaints.models import (
    Category,
    Channel,
    ClockKind,
    ComplaintState,
    EventKind,
    Severity,
)

CHANNEL_LABELS = Channel.labels()
CATEGORY_LABELS = Category.labels()
SEVERITY_LABELS = Severity.labels()
STATE_LABELS = ComplaintState.labels()
CLOCK_LABELS = ClockKind.labels()
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
EVENT_LABELS = EventKind.labels()
