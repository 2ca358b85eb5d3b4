"""Times as the call pages show them: datetime-local inputs in the display zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone


def display_zone() -> ZoneInfo:
    """The display zone (AFTERSALES_TIMEZONE, Asia/Shanghai by default)."""
    return ZoneInfo(str(get_timezone()))


def local_input(moment: datetime) -> str:
    """A time as a datetime-local input shows it."""
    return moment.astimezone(display_zone()).strftime("%Y-%m-%dT%H:%M:%S")
