"""Scheduled work of the evidence engine (registered in aftersales/scheduler.py)."""

from sqlalchemy.orm import Session

from aftersales.evidence.audit import background, exports, freezing
from aftersales.evidence.compliance import engine


def daily_snapshot(session: Session) -> None:
    """A full recompute once a day; a second run the same day does nothing."""
    engine.daily(session)


def refresh_stale(session: Session) -> None:
    """Recompute the clauses whose records changed since the latest snapshot."""
    engine.refresh(session)


def build_packages(session: Session) -> None:
    """Build the queued package exports, oldest first, committing as each one goes."""
    exports.fail_abandoned(session)
    session.commit()
    while (export := exports.next_queued(session)) is not None:
        background.start(session, export)
        session.commit()
        exports.build(session, export)


def freeze_periods(session: Session) -> None:
    """Freeze the requested periods, oldest first, committing as each one goes."""
    freezing.fail_abandoned(session)
    session.commit()
    while (request := freezing.next_queued(session)) is not None:
        background.start(session, request)
        session.commit()
        freezing.run(session, request)
