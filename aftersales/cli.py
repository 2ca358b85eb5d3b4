"""`aftersales`: the one entry point for every operator command (a Flask CLI group)."""

import getpass
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from aftersales.core import audit, services
from aftersales.core.errors import DomainError
from aftersales.core.permissions import ROLES
from aftersales.extensions import db


def _operator() -> audit.Actor:
    return audit.Actor(None, f"cli:{getpass.getuser()}")


def _commit_or_fail(action) -> None:
    """Run `action` as one transaction; a domain refusal becomes a clean CLI error."""
    try:
        with audit.acting_as(_operator()):
            result = action()
            db.session.commit()
    except DomainError as problem:
        db.session.rollback()
        field = f"{problem.field}: " if problem.field else ""
        raise click.ClickException(f"{field}{problem.message}") from problem
    return result


@click.group()
def users() -> None:
    """Create, re-password and disable user accounts."""


def _ask_password(password: str | None) -> str:
    if password:
        return password
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="The person's name.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--email", default=None)
@click.option("--password", default=None, help="Read from standard input if omitted.")
@with_appcontext
def create_user(username, display_name, roles, email, password) -> None:
    secret = _ask_password(password)
    user = _commit_or_fail(
        lambda: services.create_user(
            db.session, username, display_name, secret,
            [services.GrantSpec(role) for role in roles], email=email,
        )
    )
    click.echo(f"created user {user.username} ({', '.join(sorted(user.roles))})")


@users.command("set-password")
@click.argument("username")
@click.option("--password", default=None, help="Read from standard input if omitted.")
@with_appcontext
def set_password(username, password) -> None:
    secret = _ask_password(password)
    _commit_or_fail(
        lambda: services.set_password(db.session, services.find_user(db.session, username), secret)
    )
    click.echo(f"password of {username} changed; its sessions are signed out")


@users.command("disable")
@click.argument("username")
@with_appcontext
def disable_user(username) -> None:
    _commit_or_fail(
        lambda: services.set_enabled(db.session, services.find_user(db.session, username), False)
    )
    click.echo(f"disabled {username}")


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit trail."""


@audit_group.command("verify")
@with_appcontext
def verify() -> None:
    """Walk the whole chain; exit 1 naming the first altered, deleted or inserted entry."""
    checked, chain_break = audit.verify_chain(db.session)
    if chain_break is not None:
        click.echo(f"BROKEN after {checked} good entries: {chain_break}", err=True)
        sys.exit(1)
    click.echo(f"audit chain intact: {checked} entries")


@click.group()
def demo() -> None:
    """Demonstration data."""


@demo.command("load")
@click.option("--scale", default=1, type=click.IntRange(1, 1000), help="Multiply volumes.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
@with_appcontext
def load_demo(scale, if_empty) -> None:
    from aftersales import demo as demo_data

    if if_empty and not demo_data.database_is_empty(db.session):
        click.echo("database has data; demo not loaded")
        if demo_data.has_demo_users(db.session):
            click.echo("\n".join(demo_data.login_lines()))
        return
    summary = _commit_or_fail(lambda: demo_data.load(db.session, scale))
    for line in summary:
        click.echo(line)


@click.group("outlets")
def outlets_group() -> None:
    """Service outlets and their reference data."""


@outlets_group.command("load-cities")
@with_appcontext
def load_cities() -> None:
    """Load (or refresh) the prefecture-level cities from the cpca package's data."""
    from aftersales.outlets import cities

    count = _commit_or_fail(lambda: cities.load_cities(db.session))
    click.echo(f"{count} prefecture-level cities loaded (333 divisions + 4 municipalities)")


@click.group("evidence")
def evidence_group() -> None:
    """The GB/T 27922 evidence engine."""


@evidence_group.command("snapshot")
@with_appcontext
def evidence_snapshot() -> None:
    """Recompute every clause now, store a snapshot, print the score and level."""
    from aftersales.evidence import engine, labels

    snapshot = _commit_or_fail(lambda: engine.compute(db.session, kind="full"))
    level = labels.LEVEL_LABELS.get(snapshot.level)
    click.echo(
        f"score {snapshot.score} ({snapshot.points_obtained} of {snapshot.points_applicable} "
        f"applicable points, {snapshot.deductions} special deductions, bonus {snapshot.bonus}); "
        f"level: {level}; period {snapshot.period_from} to {snapshot.period_to}; "
        f"computed in {snapshot.seconds} s"
    )


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run scheduled jobs (only the process holding the database lease acts)."""
    import logging

    from flask import current_app

    from aftersales import scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not every heartbeat
    scheduler.serve(current_app._get_current_object())


def register(app: Flask) -> None:
    for command in (users, audit_group, demo, outlets_group, evidence_group,
                    scheduler_command):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from aftersales import create_app

    return create_app()


cli = FlaskGroup(
    name="aftersales",
    help="After-sales operations and GB/T 27922 evidence.",
    create_app=_create_app,
    add_version_option=False,
)


def main() -> None:
    cli(prog_name="aftersales")
