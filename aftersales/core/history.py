"""The history page in words: what happened to a record (its audit actions) and which of
its fields changed, named as its pages name them.

Actions are said in one place, here: the audit trail's own (created, changed, deleted,
read) and those services name with `label_change` (`assigned`, `state:resolved`: the part
before a colon says what was done). Field names are registered by the module that owns the
record type, with the labels of its pages (`field_labels("tickets", {...})`), the way
record names are registered for the evidence pages; a column nobody named is shown
humanised ("service latitude"), never as the snake_case column it is stored in.

Values are said in words too (`ValueWords`): times in the display zone, yes/no, codes by
the labels their module registers (`value_labels`), money in yuan, a reference to another
record by its name (a person, a WO number; `record_names`, fetched once per page), and a
customer's phone, address and home coordinates masked for those who do not reach customers,
as every other page masks them (`personal_fields`, core/privacy.py)."""

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Table
from sqlalchemy.orm import Session

from aftersales.core import privacy
from aftersales.core.types import UTCDateTime

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
_VALUE_LABELS: dict[str, dict[str, Mapping[str, object]]] = {}
_PERSONAL: dict[str, dict[str, Callable[[str], str]]] = {}
_RECORD_NAMES: dict[str, Callable[[Session, set[int]], dict[int, str]]] = {}


def field_labels(record_type: str, labels: dict[str, object]) -> None:
    """Name the fields of `record_type` (a table) as its pages do: column -> label."""
    _FIELD_LABELS.setdefault(record_type, {}).update(labels)


def record_titles(record_type: str, title_of: Callable[[int], str]) -> None:
    """How the history page names a record of `record_type` from its id (WO00000731)."""
    _RECORD_TITLES[record_type] = title_of


def value_labels(record_type: str, labels: dict[str, Mapping[str, object]]) -> None:
    """Say the coded columns of `record_type` in words: column -> {code: label}."""
    _VALUE_LABELS.setdefault(record_type, {}).update(labels)


def personal_fields(record_type: str, *, phones=(), addresses=(), places=()) -> None:
    """The columns of `record_type` holding a customer's phone, address or home
    coordinates: masked on the history page for those who do not reach customers."""
    masks = _PERSONAL.setdefault(record_type, {})
    masks.update(dict.fromkeys(phones, privacy.mask_phone))
    masks.update(dict.fromkeys(addresses, privacy.mask_address))
    masks.update(dict.fromkeys(places, lambda value: f"{float(value):.2f}"))


def masked_for_reader(record_type: str, values: dict) -> dict:
    """A stored snapshot as this request's user may read it: the personal columns masked
    unless they reach customers (the API's history, as the page shows it)."""
    if record_type not in _PERSONAL or privacy.may_contact_customers():
        return values
    return {column: _masked(record_type, column, value) for column, value in values.items()}


def _masked(record_type: str, column: str, value):
    mask = _PERSONAL.get(record_type, {}).get(column)
    return mask(str(value)) if mask and isinstance(value, str | int | float) else value


def record_names(table: str, names_of: Callable[[Session, set[int]], dict[int, str]]) -> None:
    """How a reference to a row of `table` is named, for a page's ids in one query."""
    _RECORD_NAMES[table] = names_of


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


class ValueWords:
    """How one history page shows the values its entries stored, its references named in
    one query per kind of record."""

    def __init__(self, session: Session, table: Table | None, entries, *, contact: bool,
                 moment: Callable[[datetime], str], money: Callable[[int], str]):
        self.record_type = table.name if table is not None else ""
        self.columns = table.columns if table is not None else {}
        self.contact, self.moment, self.money = contact, moment, money
        self.names = self._names(session, [
            values for entry in entries
            for values in (json.loads(entry.before_json), json.loads(entry.after_json))])

    def _target(self, column: str) -> str | None:
        keys = self.columns[column].foreign_keys if column in self.columns else ()
        return next(iter(keys)).column.table.name if keys else None

    def _names(self, session: Session, snapshots: list[dict]) -> dict[tuple[str, int], str]:
        wanted: dict[str, set[int]] = {}
        for values in snapshots:
            for column, value in values.items():
                target = self._target(column)
                if isinstance(value, int) and target:
                    wanted.setdefault(target, set()).add(value)
        names = {}
        for target, ids in wanted.items():
            if target in _RECORD_TITLES:
                found = {record_id: _RECORD_TITLES[target](record_id) for record_id in ids}
            elif target in _RECORD_NAMES:
                found = _RECORD_NAMES[target](session, ids)
            else:
                continue
            names.update({(target, record_id): name for record_id, name in found.items()})
        return names

    def __call__(self, column: str, value) -> str:
        if value is None:
            return "—"
        if not self.contact and column in _PERSONAL.get(self.record_type, {}):
            return str(_masked(self.record_type, column, value))
        labels = _VALUE_LABELS.get(self.record_type, {}).get(column)
        if labels and value in labels:
            return str(labels[value])
        target = self._target(column)
        if target and (target, value) in self.names:
            return self.names[(target, value)]
        return self._typed(column, value)

    def _typed(self, column: str, value) -> str:
        kind = self.columns[column].type if column in self.columns else None
        if isinstance(value, bool) or isinstance(kind, Boolean):
            return _("Yes") if value else _("No")
        if isinstance(kind, UTCDateTime) and isinstance(value, str):
            return self.moment(datetime.fromisoformat(value))
        if column.endswith("_fen") and isinstance(value, int | str):
            return self.money(int(Decimal(str(value))))
        return str(value)
