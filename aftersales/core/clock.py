"""Time: stored in UTC, timezone-aware; shown in the user's zone (Asia/Shanghai by default)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_zone(moment: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored time is timezone-aware UTC")
    return moment.astimezone(zone)


def local_today(zone: ZoneInfo = DEFAULT_ZONE) -> date:
    """Today's date where the business is: warranty and holidays turn over at local midnight."""
    return datetime.now(zone).date()
