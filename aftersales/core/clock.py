"""Time: stored in UTC, timezone-aware; shown in the user's zone (Asia/Shanghai by default)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_zone(moment: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored time is timezone-aware UTC")
    return moment.astimezone(zone)
