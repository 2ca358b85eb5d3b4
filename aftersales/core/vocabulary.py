"""A vocabulary: the closed set of codes a column may hold, defined once.

    class Priority(Vocabulary):
        EMERGENCY = "emergency", _l("Emergency")
        NORMAL = "normal", _l("Normal")

gives the codes in their order (`Priority.codes()`), the CHECK that keeps the column to
them (`Priority.check("priority")`), the schema validator (`Priority.validator()`) and what
people read for each code, in their language (`Priority.labels()`, `Priority("normal").label`).
Members are strings, so a member compares equal to the code stored in the column."""

from enum import StrEnum

from flask_babel import get_locale
from marshmallow import validate

_RESOLVED: dict[tuple[int, str], dict[str, str]] = {}


def labeller(labels: dict):
    """`label(code)` for templates: the labels translated once per locale, not once per
    cell (a lazy label runs gettext each time it is shown, and a list shows hundreds).
    `labels` must live as long as the process (a module's constant)."""
    def label(code: str) -> str:
        key = (id(labels), str(get_locale()))
        resolved = _RESOLVED.get(key)
        if resolved is None:
            resolved = _RESOLVED[key] = {code: str(text) for code, text in labels.items()}
        return resolved.get(code, code)
    return label


class Vocabulary(StrEnum):
    def __new__(cls, code: str, label=None):
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = code if label is None else label
        return member

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict:
        return {member.value: member.label for member in cls}

    @classmethod
    def check(cls, column: str) -> str:
        """The CHECK that keeps a column to the codes (`kind IN ('a', 'b')`)."""
        return f"{column} IN ({', '.join(repr(code) for code in cls.codes())})"

    @classmethod
    def validator(cls) -> validate.OneOf:
        return validate.OneOf(cls.codes())
