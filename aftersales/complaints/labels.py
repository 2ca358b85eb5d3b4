"""How complaint codes read to people (pages and messages), in the user's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aftersales.complaints import models, settings
from aftersales.complaints.models import (
    Category,
    Channel,
    ClockKind,
    ComplaintState,
    EventKind,
    Severity,
)
from aftersales.core import audit

# A complaint as people name it (TS00000594), for the modules that show one by its id.
complaint_number = models.complaint_number

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
# Who acted when no user did, by the audit trail's label (a job, a command: the system).
UNNAMED_ACTOR_LABELS = {
    audit.SYSTEM.label: _l("System"),
    audit.PORTAL_CUSTOMER.label: _l("The customer, on the portal"),
}


def unnamed_actor_label(label: str):
    return UNNAMED_ACTOR_LABELS.get(label, UNNAMED_ACTOR_LABELS[audit.SYSTEM.label])


BY_HAND = "by_hand_"  # the key of a rung a handler took by hand: by_hand_supervisor


def step_label(step_key: str) -> str:
    """A rung of the escalation ladder in force, said in words (the ladder names its
    rungs by keys such as response_75 that people never read)."""
    if step_key.startswith(BY_HAND):
        return _("escalated by hand")
    step = next((step for step in settings.current().ladder if step.key == step_key), None)
    if step is None:
        return _("a rung of an earlier escalation ladder")
    if step.fraction < 1:
        return _("%(percent)d%% of the time limit used", percent=round(step.fraction * 100))
    hours = step.after.total_seconds() / 3600
    if hours:
        return _("%(hours)g hours past the time limit", hours=hours)
    return _("time limit passed")
