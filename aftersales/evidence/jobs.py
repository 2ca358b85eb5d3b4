"""Scheduled work of the evidence engine (registered in aftersales/scheduler.py)."""

from sqlalchemy.orm import Session

from aftersales.evidence.audit import background, exports, freezing
from aftersales.evidence.compliance import engine
from aftersales.evidence.models import FreezeRequest, PackageExport


def daily_snapshot(session: Session) -> None:
    """A full recompute once a day; a second run the same day does nothing."""
    engine.daily(session)


def refresh_stale(session: Session) -> None:
    """Recompute the clauses whose records changed since the latest snapshot."""
    engine.refresh(session)


def build_packages(session: Session) -> None:
    """Build the queued package exports, oldest first, committing as each one goes."""
    background.work_through(session, PackageExport, exports.fail_abandoned, exports.build)


def freeze_periods(session: Session) -> None:
    """Freeze the requested periods, oldest first, committing as each one goes."""
    background.work_through(session, FreezeRequest, freezing.fail_abandoned, freezing.run)
