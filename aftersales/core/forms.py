"""Pages read their input with the API's marshmallow schemas: one check for both doors,
and every error at once, each keyed by its field ("entries.3.day") to show beside it."""

from collections.abc import Mapping

from marshmallow import EXCLUDE, Schema, ValidationError

from aftersales.core.errors import DomainError


def load_form(schema: Schema, data: Mapping) -> tuple[object | None, dict[str, str]]:
    """(loaded value, {}) or (None, {field: first reason}). A page's form also carries its
    CSRF token and the button pressed: fields the schema does not know are left aside."""
    try:
        return schema.load(data, unknown=EXCLUDE), {}
    except ValidationError as problem:
        return None, flat_errors(problem.messages)


def flat_errors(messages, prefix: str = "") -> dict[str, str]:
    if isinstance(messages, list):
        return {prefix or "_form": str(messages[0])} if messages else {}
    if isinstance(messages, dict):
        flat: dict[str, str] = {}
        for key, value in messages.items():
            name = "_form" if key == "_schema" else str(key)
            flat.update(flat_errors(value, f"{prefix}.{name}" if prefix else name))
        return flat
    return {prefix or "_form": str(messages)}


def domain_errors(problem: DomainError) -> dict[str, str]:
    return {problem.field or "_form": str(problem.message)}
