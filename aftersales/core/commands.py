"""What every operator command shares: who the operator is in the audit trail, and one
transaction per command whose domain refusals become clean CLI errors."""

import getpass

import click

from aftersales.core import audit
from aftersales.core.errors import DomainError
from aftersales.extensions import db


def operator() -> audit.Actor:
    return audit.Actor(None, f"cli:{getpass.getuser()}")


def commit_or_fail(action):
    """Run `action` as one transaction; a domain refusal becomes a clean CLI error."""
    try:
        with audit.acting_as(operator()):
            result = action()
            db.session.commit()
    except DomainError as problem:
        db.session.rollback()
        field = f"{problem.field}: " if problem.field else ""
        raise click.ClickException(f"{field}{problem.message}") from problem
    return result
