"""Frozen periods with real records behind them, and packages to tamper with."""

import zipfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from aftersales.core.audit import Actor
from aftersales.core.clock import utcnow
from aftersales.evidence.audit import package, periods
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.evidence.factories import days_ago
from tests.factories import make_outlet, make_ticket

MANAGER = Actor(None, "审核经理")


def closed_ticket(outlet=None, days=3, resolution_met=True) -> Ticket:
    """A work order resolved and closed `days` ago (stamped, as the providers read it)."""
    ticket = make_ticket(commit=False, outlet_id=outlet.id if outlet else None)
    moment = utcnow() - timedelta(days=days)
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(
        state="closed", resolved_at=moment, closed_at=moment, resolution_met=resolution_met,
    ))
    db.session.commit()
    return ticket


def tickets_in_two_outlets(count=12) -> list[Ticket]:
    outlets = [make_outlet(), make_outlet()]
    return [closed_ticket(outlets[i % 2], days=3 + i % 2, resolution_met=i % 3 != 0)
            for i in range(count)]


def freeze(first=30, last=1, seed=20261123, **values):
    frozen = periods.freeze(db.session, MANAGER, days_ago(first), days_ago(last), seed=seed,
                            **values)
    db.session.commit()
    return frozen


def build(frozen, directory: Path, **values) -> Path:
    destination = directory / package.default_name(frozen)
    package.build(db.session, frozen, destination, "tester", **values)
    return destination


def rewrite(source: Path, destination: Path, change) -> Path:
    """Copy a package entry by entry; change(name, content) returns the new content, or
    None to drop the entry."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(destination, "w") as new:
        for info in old.infolist():
            content = change(info.filename, old.read(info.filename))
            if content is not None:
                new.writestr(info.filename, content)
    return destination
