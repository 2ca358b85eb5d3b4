"""What the evidence pages read from their forms, and how a refusal lands on a field."""

from datetime import date

from flask_babel import lazy_gettext as _l

from aftersales.core.errors import DomainError
from aftersales.extensions import db

BAD_DAY = _l("Not a date.")


def form_day(text: str | None, name: str, errors: dict, required: bool = True) -> date | None:
    text = (text or "").strip()
    if not text:
        if required:
            errors[name] = str(_l("Fill this in."))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = str(BAD_DAY)
        return None


def refusal(problem: DomainError, errors: dict, fields) -> int:
    """Roll back, put the refusal on its field (or the form), return its status."""
    db.session.rollback()
    errors[problem.field if problem.field in fields else "_form"] = str(problem.message)
    return problem.status
