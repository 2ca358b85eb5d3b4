"""Scheduled work of the core module (registered in aftersales/scheduler.py)."""

import logging

from sqlalchemy.orm import Session

from aftersales.core import rate_limit
from aftersales.core.audit import verify_chain
from aftersales.core.clock import utcnow

log = logging.getLogger(__name__)


def check_audit_chain(session: Session) -> bool:
    """Nightly: walk the whole audit chain so tampering is noticed within a day."""
    checked, chain_break = verify_chain(session)
    if chain_break is None:
        log.info("audit chain intact: %d entries", checked)
        return True
    log.error("audit chain broken after %d good entries: %s", checked, chain_break)
    return False


def sweep_rate_windows(session: Session) -> int:
    """Hourly: forget the public pages' request counts whose window has ended."""
    return rate_limit.sweep(session, utcnow())
