"""The one door through which pages read what the browser sent.

Pages load their input with marshmallow schemas (the API's own where one fits), so both
doors check a value the same way, and every refusal comes back at once, each keyed by its
field ("entries.3.day") to show beside the input of that name. No view reads
`request.form`, `request.args` or `request.files` itself (tests/test_page_input.py).

A page that changes something is written straight through, and says how to show a refusal:

    @bp.route("/tickets/<int:ticket_id>/quote", methods=["POST"])
    @requires("tickets.work")
    @on_refusal(lambda errors, status, ticket_id: _render_ticket(ticket_id, errors, status))
    def quote(ticket_id):
        data = form_input(QuoteForm())
        field_work.quote(db.session, ..., data["amount_fen"])
        return redirect(...)

A refused form (FormRefused) or any domain rule (DomainError) raised inside rolls the
whole request back before the page is drawn again with its 4xx, so nothing half-done can
be committed by a redirect that was meant for the happy path.

Form conventions: a blank input is an input not given (its default applies, or
"required" is said); a name with dots nests ("entries.3.day" is the day of the fourth
entry); a List field collects every value sent under its name.
"""

import re
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from flask import request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing
from werkzeug.datastructures import FileStorage, MultiDict

from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.extensions import db

Errors = dict[str, str]


class FormRefused(ValidationFailed):
    """Every field's reason at once; `field_errors` keys are the inputs' names."""

    def __init__(self, field_errors: Errors):
        first_field, first_reason = next(iter(field_errors.items()))
        super().__init__(first_reason, None if first_field == "_form" else first_field)
        self.field_errors = field_errors

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: [reason] for name, reason in self.field_errors.items()}


def form_input(schema: Schema) -> Any:
    """The posted form (files included) loaded with `schema`, or FormRefused. A value the
    page's address carries (/tickets/new?customer_id=7) counts unless the form sends its own."""
    data = _nested({**_values(schema, request.args, None),
                    **_values(schema, request.form, request.files)})
    try:
        return schema.load(data, unknown=EXCLUDE)
    except ValidationError as problem:
        raise FormRefused(flat_errors(problem.messages)) from problem


def query_input(schema: Schema) -> tuple[dict, Errors]:
    """The page's parameters loaded with `schema` (the query string; when a refused POST
    is drawn again, its form too): the values that passed, and the reasons for those that
    did not (a list filter shows them and ignores the bad value)."""
    data = _nested(_values(schema, request.values, None))
    try:
        return schema.load(data, unknown=EXCLUDE), {}
    except ValidationError as problem:
        valid = problem.valid_data if isinstance(problem.valid_data, dict) else {}
        defaults = _defaults_of(schema)
        return {**defaults, **valid}, flat_errors(problem.messages)


def submitted() -> MultiDict:
    """What the user typed, to fill the form again when it is shown with its errors."""
    return request.form if request.method == "POST" else request.args


def query_string() -> MultiDict:
    """The query string as sent, for links that keep the page's filters (next page, export)."""
    return request.args


def on_refusal(render: Callable[..., Any]):
    """Decorate a page handler: a FormRefused or DomainError raised in it rolls the request
    back and answers `render(errors, status, **view_args)`."""

    def decorate(view):
        @wraps(view)
        def handle(**view_args):
            try:
                return view(**view_args)
            except DomainError as problem:
                db.session.rollback()
                return render(errors_of(problem), problem.status, **view_args)

        return handle

    return decorate


def errors_of(problem: DomainError) -> Errors:
    """Every field's reason a refusal names (a service may name several at once, as the
    API answers them), else its message for the top of the form."""
    named = {name: str(reasons[0]) for name, reasons in problem.errors.items() if reasons}
    return named or {"_form": str(problem.message)}


def placed(errors: Errors, shown: set[str] | frozenset[str]) -> Errors:
    """Errors keyed by the inputs a page shows; a reason about anything else (a field the
    page has no input for) goes to the top of the form, so none is lost from sight."""
    kept = {name: reason for name, reason in errors.items() if name in shown}
    strays = [reason for name, reason in errors.items() if name not in shown]
    if strays:
        kept["_form"] = strays[0]
    return kept


def flat_errors(messages, prefix: str = "") -> Errors:
    if isinstance(messages, list):
        return {prefix or "_form": said_plainly(str(messages[0]))} if messages else {}
    if isinstance(messages, dict):
        flat: Errors = {}
        for key, value in messages.items():
            name = "_form" if key == "_schema" else str(key)
            flat.update(flat_errors(value, f"{prefix}.{name}" if prefix else name))
        return flat
    return {prefix or "_form": said_plainly(str(messages))}


def _values(schema: Schema, form: MultiDict, files: MultiDict | None) -> dict:
    listed = {
        field.data_key or name
        for name, field in schema.load_fields.items()
        if isinstance(field, fields.List)
    }
    values: dict = {}
    for source in (form, files or MultiDict()):
        for key in source:
            given = [value for value in source.getlist(key) if not _blank(value)]
            if key in listed:
                values[key] = given
            elif given:
                values[key] = given[0]
    return values


def _blank(value) -> bool:
    """An empty input, or a file input left empty (a part with no file name)."""
    return value == "" or (isinstance(value, FileStorage) and not value.filename)


def _nested(values: dict) -> dict:
    """{"entries.0.day": d} -> {"entries": [{"day": d}]}; plain names stay as they are."""
    nested: dict = {}
    for key, value in values.items():
        parts = key.split(".")
        if len(parts) == 1:
            nested[key] = value
            continue
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = value
    return {key: _as_lists(value) for key, value in nested.items()}


def _as_lists(node):
    """A mapping whose keys are all whole numbers is a list in the order of those numbers."""
    if not isinstance(node, dict):
        return node
    children = {key: _as_lists(value) for key, value in node.items()}
    if children and all(key.isdigit() for key in children):
        return [children[key] for key in sorted(children, key=int)]
    return children


def _defaults_of(schema: Schema) -> dict:
    return {
        name: field.load_default() if callable(field.load_default) else field.load_default
        for name, field in schema.load_fields.items()
        if field.load_default is not missing
    }


# marshmallow's own sentences, said in the reader's language on pages.
_PLAIN = (
    (re.compile(r"^Missing data for required field\.$"), lambda m: _("Required.")),
    (re.compile(r"^Field may not be null\.$"), lambda m: _("Required.")),
    (re.compile(r"^Not a valid integer\.$"), lambda m: _("Not a whole number.")),
    (re.compile(r"^Not a whole number\.$"), lambda m: _("Not a whole number.")),
    (re.compile(r"^Give the amount in yuan, e\.g\. 128\.50\.$"),
     lambda m: _("Give the amount in yuan, e.g. 128.50.")),
    (re.compile(r"^Not a valid number\.$"), lambda m: _("Not a number.")),
    (re.compile(r"^Choose a file\.$"), lambda m: _("Choose a file.")),
    (re.compile(r"^Not a valid date\.$"), lambda m: _("Give a date.")),
    (re.compile(r"^Not a valid datetime\.$"), lambda m: _("Not a date and time.")),
    (re.compile(r"^Not a valid email address\.$"), lambda m: _("Not an email address.")),
    (re.compile(r"^Not a valid boolean\.$"), lambda m: _("Choose yes or no.")),
    (re.compile(r"^Must be one of: .*\.$"), lambda m: _("Choose one of the options.")),
    (re.compile(r"^Not a valid choice\.$"), lambda m: _("Choose one of the options.")),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"),
     lambda m: _("At least %(n)s characters.", n=m.group(1))),
    (re.compile(r"^Longer than maximum length (\d+)\.$"),
     lambda m: _("At most %(n)s characters.", n=m.group(1))),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"),
     lambda m: _("Between %(low)s and %(high)s characters.", low=m.group(1), high=m.group(2))),
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
     lambda m: _("Between %(low)s and %(high)s.", low=m.group(1), high=m.group(2))),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"),
     lambda m: _("At least %(low)s.", low=m.group(1))),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"),
     lambda m: _("At most %(high)s.", high=m.group(1))),
)


def said_plainly(message: str) -> str:
    for pattern, say in _PLAIN:
        match = pattern.match(message)
        if match:
            return say(match)
    return message


def domain_errors(problem: DomainError) -> Errors:
    return errors_of(problem)


def load_form(schema: Schema, data: Mapping) -> tuple[object | None, Errors]:
    """(loaded value, {}) or (None, {field: reason}) for data a page has already gathered."""
    try:
        return schema.load(data, unknown=EXCLUDE), {}
    except ValidationError as problem:
        return None, flat_errors(problem.messages)
