"""Scheduled work of return visits (registered in aftersales/scheduler.py)."""

from sqlalchemy.orm import Session

from aftersales.visits import surveys


def send_surveys(session: Session) -> int:
    """The satisfaction survey to the sampled work orders closed since the last run."""
    return len(surveys.send_surveys(session))
