"""The history page in words: what happened to a record (its audit actions) and which of
its fields changed, named as its pages name them.

Actions are said in one place, here: the audit trail's own (created, changed, deleted,
read) and those services name with `label_change` (`assigned`, `state:resolved`: the part
before a colon says what was done). Field names are registered by the module that owns the
record type, with the labels of its pages (`field_labels("tickets", {...})`), the way
record names are registered for the evidence pages; a column nobody named is shown
humanised ("service latitude"), never as the snake_case column it is stored in."""

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "create": _l("Record created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "read": _l("Full record opened"),
    # accounts and tokens (core)
    "set_password": _l("Password set"),
    "enable": _l("Account enabled"),
    "disable": _l("Account disabled"),
    "revoke": _l("Token revoked"),
    # work orders, complaints, return visits, calls
    "state": _l("Step taken"),
    "calendar_recompute": _l("Deadlines recomputed for the business calendar"),
    "assigned": _l("Assigned"),
    "acknowledged": _l("Response recorded"),
    "paused": _l("Clock paused"),
    "resumed": _l("Clock resumed"),
    "resolved": _l("Resolved"),
    "mediated": _l("Mediation recorded"),
    "confirmed": _l("Customer confirmation recorded"),
    "closed": _l("Closed"),
    "reopened": _l("Reopened"),
    "visit": _l("Return visit recorded"),
    "called_back": _l("Called back"),
    # outlets, training, evidence
    "attach_agreement": _l("Agreement attached"),
    "attendance": _l("Attendance recorded"),
    "certificate": _l("Certificate scan stored"),
    "rubric": _l("Rubric changed"),
    "status": _l("Status changed"),
    "approve": _l("Approved"),
    "withdraw": _l("Withdrawn"),
    "cancel": _l("Cancelled"),
}

# Columns every record may have, for record types that do not name them otherwise.
COMMON_FIELDS = {"id": _l("Record number"), "created_at": _l("Record created")}

_FIELD_LABELS: dict[str, dict[str, object]] = {}
_RECORD_TITLES: dict[str, Callable[[int], str]] = {}


def field_labels(record_type: str, labels: dict[str, object]) -> None:
    """Name the fields of `record_type` (a table) as its pages do: column -> label."""
    _FIELD_LABELS.setdefault(record_type, {}).update(labels)


def record_titles(record_type: str, title_of: Callable[[int], str]) -> None:
    """How the history page names a record of `record_type` from its id (WO00000731)."""
    _RECORD_TITLES[record_type] = title_of


def record_title(record_type: str, record_id: int) -> str | None:
    title_of = _RECORD_TITLES.get(record_type)
    return title_of(record_id) if title_of else None


def action_label(action: str) -> str:
    label = ACTIONS.get(action) or ACTIONS.get(action.split(":", 1)[0])
    return str(label) if label is not None else humanised(action)


def field_label(record_type: str, column: str) -> str:
    label = _FIELD_LABELS.get(record_type, {}).get(column) or COMMON_FIELDS.get(column)
    return str(label) if label is not None else humanised(column)


def humanised(name: str) -> str:
    """technician_id -> "Technician", service_latitude -> "Service latitude"."""
    words = name.split(":", 1)[0].removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:]
