"""`aftersales calendar …`: enter next year's holiday schedule from a file, see what the
calendar knows, and answer support's question "why is this due then?"."""

import sys
from datetime import datetime

import click
from flask.cli import with_appcontext

from aftersales.calendar import services
from aftersales.core.calendar import HoursError
from aftersales.core.clock import DEFAULT_ZONE, local_today
from aftersales.core.commands import commit_or_fail
from aftersales.extensions import db

SOURCE_WORDS = {
    "entered": "entered (stored schedule)",
    "package": "from the chinese-calendar package",
    "guessed": "UNKNOWN: counted Monday to Friday",
}


@click.group("calendar")
def calendar_group() -> None:
    """The business calendar: holiday schedules, closures and working hours."""


def _outlet_id(code: str | None) -> int | None:
    if not code:
        return None
    found = services.outlet_ids_by_code(db.session).get(code)
    if found is None:
        raise click.BadParameter(f"no outlet with code {code}", param_hint="--outlet")
    return found


@calendar_group.command("status")
@with_appcontext
def status() -> None:
    """Which years are known, from where, and what is missing."""
    today = local_today()
    for year in services.years_around(db.session, today):
        click.echo(f"{year.year}: {SOURCE_WORDS[year.source]}; {year.holidays} holidays, "
                   f"{year.workdays} make-up working days, {year.closures} closures")
    hours = services.hours_in_force(db.session)
    click.echo(f"working hours ({hours.source}): {hours.hours.text()}")
    for outlet_id, outlet_hours in services.outlet_hours(db.session).items():
        click.echo(f"  outlet {services.outlet_code(db.session, outlet_id)}: "
                   f"{outlet_hours.text()}")
    missing = services.years_missing(db.session, today)
    for year in missing:
        click.echo(f"MISSING: the {year} holiday schedule is not entered; business-hour clocks "
                   f"count Monday to Friday. Enter it: aftersales calendar import FILE",
                   err=True)
    if missing:
        sys.exit(1)


@calendar_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@with_appcontext
def import_file(file) -> None:
    """Load FILE (CSV: date,kind,name[,outlet]; kind holiday, workday or closure). Each
    year the file names becomes exactly the file's entries for that year."""
    entries = commit_or_fail(
        lambda: services.parse_csv(file.read(), services.outlet_ids_by_code(db.session)))
    result = commit_or_fail(lambda: services.import_entries(db.session, entries))
    for year, count in sorted(result.entries.items()):
        click.echo(f"{year}: {count} entries stored")
    click.echo(f"{result.clocks} running clocks recomputed")


@calendar_group.command("export")
@click.option("--year", type=click.IntRange(1900, 2999), help="One year (default: all).")
@with_appcontext
def export(year) -> None:
    """Print the stored entries as CSV (date,kind,name,outlet), as `import` reads them."""
    click.echo(services.export_csv(db.session, year), nl=False)


@calendar_group.command("due")
@click.option("--from", "start", required=True, help="ISO 8601 date-time (no offset: Beijing).")
@click.option("--hours", required=True, type=click.FloatRange(min=0, min_open=True),
              help="Business hours of the target.")
@click.option("--outlet", help="The outlet's code (default: the company's calendar).")
@click.option("--hours-window", "windows",
              help="What if: working windows on working days, HH:MM-HH:MM[,HH:MM-HH:MM…].")
@with_appcontext
def due(start, hours, outlet, windows) -> None:
    """Print the due time the product computes, as ISO 8601 with its offset."""
    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        raise click.BadParameter(f"{start!r} is not an ISO 8601 date-time",
                                 param_hint="--from") from None
    try:
        answer = services.due_for(db.session, moment, hours, _outlet_id(outlet), windows)
    except HoursError as problem:
        raise click.BadParameter(problem.reason, param_hint="--hours-window") from None
    click.echo(answer.due.astimezone(DEFAULT_ZONE).isoformat())
    click.echo(f"counted on: {answer.hours.text()}", err=True)
    for year in answer.guessed_years:
        click.echo(f"guessed: {year}'s holiday schedule is unknown; Monday to Friday assumed",
                   err=True)


@calendar_group.command("days")
@click.option("--year", required=True, type=click.IntRange(1900, 2999))
@click.option("--outlet", help="The outlet's code (its closures too).")
@with_appcontext
def days(year, outlet) -> None:
    """The days of YEAR that are not what a plain Monday-to-Friday week says."""
    differences = services.differing_days(db.session, year, _outlet_id(outlet))
    for day in differences:
        state = "working" if day.working else "off"
        click.echo(f"{day.day.isoformat()} {day.day.strftime('%a')} {state:7} "
                   f"{day.name} ({day.source})")
    if not differences:
        click.echo(f"{year}: every day is what a plain Monday-to-Friday week says")
    if services.day_book(db.session).year_is_guessed(year):
        click.echo(f"{year}'s holiday schedule is unknown: Monday to Friday assumed", err=True)
