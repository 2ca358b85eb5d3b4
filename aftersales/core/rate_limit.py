"""Rate limits for the public pages (the customer portal): every request counts, per key
(the form and the client address, or the phone number asked about), in fixed windows. Past
the limit the answer is a 429 with Retry-After until the window ends. Counting is one UPDATE
(or the window's first INSERT … ON CONFLICT DO NOTHING), so concurrent requests all count."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from aftersales.core.models import RateWindow
from aftersales.core.sql import insert_unless_present


def hit(session: Session, name: str, who: str, limit: int, window: timedelta,
        now: datetime) -> timedelta | None:
    """Count one request of `who` at the form `name`; how long to wait when over `limit` in
    the current window, else None."""
    seconds = int(window.total_seconds())
    number = int(now.timestamp()) // seconds
    key = f"{name}:{(who or 'unknown')[:100]}:{number}"
    ends_at = datetime.fromtimestamp((number + 1) * seconds, tz=now.tzinfo)
    counted = session.execute(update(RateWindow).where(RateWindow.key == key)
                              .values(hits=RateWindow.hits + 1))
    if not counted.rowcount:
        first = session.execute(insert_unless_present(session, RateWindow, "key")
                                .values(key=key, hits=1, ends_at=ends_at)
                                .returning(RateWindow.key)).first()
        if first is None:  # a concurrent first request inserted it
            session.execute(update(RateWindow).where(RateWindow.key == key)
                            .values(hits=RateWindow.hits + 1))
    hits = session.scalar(select(RateWindow.hits).where(RateWindow.key == key))
    return ends_at - now if hits > limit else None


def sweep(session: Session, now: datetime) -> int:
    """Forget the windows that have ended."""
    return session.execute(delete(RateWindow).where(RateWindow.ends_at < now)).rowcount
