"""`aftersales`: the one entry point for every operator command (a Flask CLI group)."""

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from aftersales.core import audit, commands, services
from aftersales.core.commands import commit_or_fail
from aftersales.core.permissions import ROLES
from aftersales.extensions import db


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
    user = commit_or_fail(
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
    commit_or_fail(
        lambda: services.set_password(db.session, services.find_user(db.session, username), secret)
    )
    click.echo(f"password of {username} changed; its sessions are signed out")


@users.command("disable")
@click.argument("username")
@with_appcontext
def disable_user(username) -> None:
    commit_or_fail(
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
    summary = commit_or_fail(lambda: demo_data.load(db.session, scale))
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

    count = commit_or_fail(lambda: cities.load_cities(db.session))
    click.echo(f"{count} prefecture-level cities loaded (333 divisions + 4 municipalities)")


@click.group("evidence")
def evidence_group() -> None:
    """The GB/T 27922 evidence engine."""


@evidence_group.command("snapshot")
@with_appcontext
def evidence_snapshot() -> None:
    """Recompute every clause now, store a snapshot, print the score and level."""
    from aftersales.evidence import labels
    from aftersales.evidence.compliance import engine

    snapshot = commit_or_fail(lambda: engine.compute(db.session, kind="full"))
    level = labels.LEVEL_LABELS.get(snapshot.level)
    click.echo(
        f"score {snapshot.score} ({snapshot.points_obtained} of {snapshot.points_applicable} "
        f"applicable points, {snapshot.deductions} special deductions, bonus {snapshot.bonus}); "
        f"level: {level}; period {snapshot.period_from} to {snapshot.period_to}; "
        f"computed in {snapshot.seconds} s"
    )


def _period_options(command):
    command = click.option("--to", "last_day", required=True, type=click.DateTime(["%Y-%m-%d"]),
                           help="Last day (local), included.")(command)
    return click.option("--from", "first_day", required=True,
                        type=click.DateTime(["%Y-%m-%d"]), help="First day (local).")(command)


def _frozen_period(first_day, last_day, share, seed, create: bool):
    from aftersales.evidence.audit import periods

    found = periods.find(db.session, first_day.date(), last_day.date())
    if found is not None or not create:
        return found
    found = commit_or_fail(lambda: periods.freeze(
        db.session, commands.operator(), first_day.date(), last_day.date(), share, seed))
    click.echo(f"froze {found.first_day} to {found.last_day}: score {found.snapshot.score}, "
               f"audit chain head #{found.chain_seq}, sampling seed {found.sample_seed}")
    return found


@evidence_group.command("freeze")
@_period_options
@click.option("--share", default="0.10", show_default=True, help="Share of each stratum sampled.")
@click.option("--seed", type=int, help="Sampling seed (default: a random one, stored).")
@with_appcontext
def evidence_freeze(first_day, last_day, share, seed) -> None:
    """Freeze an audit period: its figures, record ids and sample never change after."""
    if _frozen_period(first_day, last_day, share, seed, create=False) is not None:
        raise click.ClickException("this period is frozen already")
    _frozen_period(first_day, last_day, share, seed, create=True)


@evidence_group.command("export")
@_period_options
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="The package's file name (.zip).")
@click.option("--share", default="0.10", show_default=True,
              help="Share sampled, when the period is frozen now.")
@click.option("--seed", type=int, help="Sampling seed, when the period is frozen now.")
@with_appcontext
def evidence_export(first_day, last_day, out, share, seed) -> None:
    """Export the evidence package of a period (frozen now if it is not yet)."""
    from pathlib import Path

    from aftersales.evidence.audit import exports

    frozen = _frozen_period(first_day, last_day, share, seed, create=True)
    export = commit_or_fail(lambda: exports.request_export(
        db.session, commands.operator(), frozen, status="running", file_name=Path(out).name))
    with audit.acting_as(commands.operator()):
        exports.build(db.session, export, Path(out))
    export = exports.get(db.session, export.id)
    if export.status != "done":
        raise click.ClickException(f"export {export.status}: {export.error}")
    click.echo(f"wrote {out}: {export.size_bytes} bytes, SHA-256 {export.sha256}")


@evidence_group.command("verify")
@click.argument("package", type=click.Path(exists=True, dir_okay=False))
@click.option("--key-fingerprint",
              help="The SHA-256 of the signing key, handed over outside the package; "
                   "default: this installation's own key.")
@with_appcontext
def evidence_verify(package, key_fingerprint) -> None:
    """Verify a package offline: exit 0 if intact and signed by the trusted key (the one
    given, else this installation's), 1 naming each altered, missing or added file, a bad
    signature or another key, 3 if no key is trusted."""
    from aftersales.evidence.audit import signing, verify_package

    trusted = key_fingerprint or signing.installed_fingerprint()
    fingerprint = ["--key-fingerprint", trusted] if trusted else []
    raise SystemExit(verify_package.main([package, *fingerprint]))


@evidence_group.command("verifier")
@click.option("--output", type=click.Path(file_okay=False), default=".",
              help="The directory to write verify.py and sampling.py into.")
def evidence_verifier(output) -> None:
    """Write the offline verifier (verify.py and the sampling rule it imports) to hand to
    an auditor apart from any package, with their SHA-256."""
    import hashlib

    from aftersales.core import sampling
    from aftersales.evidence.audit import verify_package

    target = Path(output)
    target.mkdir(parents=True, exist_ok=True)
    for name, module in (("verify.py", verify_package), ("sampling.py", sampling)):
        content = Path(module.__file__).read_bytes()
        (target / name).write_bytes(content)
        click.echo(f"{target / name}  SHA-256 {hashlib.sha256(content).hexdigest()}")


@evidence_group.command("check-anchor")
@click.argument("package", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def evidence_check_anchor(package) -> None:
    """Re-verify this database's audit trail from its first entry up to the chain head a
    package was frozen at: exit 1 naming the first entry rewritten, deleted or unlinked
    since (an earlier entry rewritten, even with its own hash recomputed, is caught)."""
    import json
    import zipfile

    from aftersales.core import audit

    with zipfile.ZipFile(package) as archive:
        anchor = json.loads(archive.read("manifest.json"))["audit_chain_head"]
    checked, broken = audit.verify_anchor(db.session, anchor["seq"], anchor["hash"])
    if broken is not None:
        click.echo(f"FAIL {broken} (checked {checked} entries up to the anchored "
                   f"{anchor['seq']})", err=True)
        raise SystemExit(1)
    click.echo(f"OK audit entries 1 to {anchor['seq']} verify and end in the hash the package "
               f"was frozen with")


@evidence_group.command("rotate-key")
@click.option("--yes", is_flag=True, help="Rotate: packages signed before stay verifiable "
              "only against the old fingerprint, which auditors must be told of.")
@with_appcontext
def evidence_rotate_key(yes) -> None:
    """Replace the package signing key on purpose (the old one is kept beside it, the
    change is in the audit trail); publish the new fingerprint to the auditors."""
    from aftersales.evidence.audit import signing

    if not yes:
        raise click.ClickException("rotating changes the fingerprint auditors trust; "
                                   "run again with --yes to do it")
    old, new = commit_or_fail(lambda: signing.rotate(db.session))
    click.echo(f"rotated the signing key: {old or '(none)'} -> {new}")


@click.command("backup")
@click.argument("destination", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(destination) -> None:
    """Back up the database, the file store and the signing key into DESTINATION (a new
    or empty folder), with a manifest of every file's SHA-256."""
    from flask import current_app

    from aftersales import backup

    try:
        manifest = backup.backup(current_app._get_current_object(), Path(destination))
    except backup.BackupRefused as refused:
        raise click.ClickException(str(refused)) from refused
    click.echo(f"backed up to {destination}: {len(manifest['files'])} files, audit chain at "
               f"{manifest['audit_chain_head']['seq']}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def restore_command(source) -> None:
    """Restore a backup into this installation's empty database and empty file store,
    then verify the audit chain and every restored file (exit 1 on any problem)."""
    from flask import current_app

    from aftersales import backup

    try:
        restored = backup.restore(current_app._get_current_object(), Path(source))
    except backup.BackupRefused as refused:
        raise click.ClickException(str(refused)) from refused
    for problem in restored.problems:
        click.echo(f"FAIL {problem}", err=True)
    if restored.problems:
        raise SystemExit(1)
    click.echo(f"restored {source}: audit chain intact ({restored.entries} entries), "
               f"{restored.files} files verified")


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
    from aftersales.calendar.cli import calendar_group

    for command in (users, audit_group, demo, outlets_group, evidence_group, calendar_group,
                    scheduler_command, backup_command, restore_command):
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
