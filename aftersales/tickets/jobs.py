"""Scheduled work of work orders (registered in aftersales/scheduler.py)."""

from sqlalchemy.orm import Session

from aftersales.tickets import stamps


def mark_missed_arrivals(session: Session) -> int:
    """Emergencies past their arrival time with no verified GPS arrival: failed."""
    return stamps.mark_missed_arrivals(session)
