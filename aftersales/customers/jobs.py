"""Scheduled work of the customers module (registered in aftersales/scheduler.py)."""

from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.customers import attestations


def sweep_codes(session: Session) -> int:
    """Hourly: forget the portal's one-time codes a day after they expired."""
    return attestations.sweep_codes(session, utcnow())
