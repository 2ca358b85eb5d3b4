"""Sign-in throttling. Failures are counted per username typed and per client address.
Past the threshold (5 for a username, 20 for an address by default) each further failure
doubles the wait (1, 2, 4 … minutes, at most LOGIN_LOCKOUT_MINUTES) before the next
attempt is even checked. An unknown username is counted like a known one, so neither the
answer nor its timing tells an attacker which accounts exist; a wrong guesser cannot lock
a colleague out for long, and an admin lifts a wait at once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from aftersales.core.models import LoginThrottle
from aftersales.core.sql import insert_unless_present


@dataclass(frozen=True)
class Policy:
    account_failures: int = 5
    address_failures: int = 20
    longest_wait: timedelta = timedelta(minutes=15)

    def wait(self, failures: int, threshold: int) -> timedelta | None:
        if failures < threshold:
            return None
        return min(timedelta(minutes=2 ** min(failures - threshold, 20)), self.longest_wait)


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()[:100]}"


def address_key(address: str) -> str:
    return f"address:{(address or 'unknown')[:100]}"


def blocked_until(session: Session, keys: list[str], now: datetime) -> datetime | None:
    """The latest time before which one of the keys may not try again, if any."""
    return session.scalar(select(LoginThrottle.blocked_until).where(
        LoginThrottle.key.in_(keys), LoginThrottle.blocked_until > now)
        .order_by(LoginThrottle.blocked_until.desc()).limit(1))


def record_failure(session: Session, key: str, threshold: int, policy: Policy,
                   now: datetime) -> None:
    """One more failure for `key`, counted in the database (two failures at once both
    count), and the wait it brings."""
    bumped = session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                             .values(failures=LoginThrottle.failures + 1, last_failure_at=now))
    if not bumped.rowcount:
        first = session.execute(
            insert_unless_present(session, LoginThrottle, "key")
            .values(key=key, failures=1, last_failure_at=now).returning(LoginThrottle.key)
        ).first()
        if first is None:  # a concurrent first failure inserted it
            session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                            .values(failures=LoginThrottle.failures + 1, last_failure_at=now))
    failures = session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key))
    wait = policy.wait(failures, threshold)
    if wait is not None:
        session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                        .values(blocked_until=now + wait))


def clear(session: Session, key: str) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def in_force(session: Session, now: datetime) -> list[LoginThrottle]:
    return list(session.scalars(select(LoginThrottle).where(LoginThrottle.blocked_until > now)
                                .order_by(LoginThrottle.blocked_until.desc()).limit(200)))


def lift(session: Session, throttle_id: int) -> LoginThrottle | None:
    throttle = session.get(LoginThrottle, throttle_id)
    if throttle is not None:
        session.delete(throttle)
        session.flush()
    return throttle
