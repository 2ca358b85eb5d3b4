"""Times as the call pages show and read them: datetime-local inputs in the display zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l

BAD_TIME = _l("Not a date and time.")


def display_zone() -> ZoneInfo:
    """The display zone (AFTERSALES_TIMEZONE, Asia/Shanghai by default)."""
    return ZoneInfo(str(get_timezone()))


def local_input(moment: datetime) -> str:
    """A time as a datetime-local input shows it."""
    return moment.astimezone(display_zone()).strftime("%Y-%m-%dT%H:%M:%S")


def form_time(form, name: str, errors: dict) -> datetime | None:
    """A datetime-local value, in the display zone (Asia/Shanghai by default)."""
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        errors[name] = str(BAD_TIME)
        return None
    return moment.replace(tzinfo=display_zone()) if moment.tzinfo is None else moment
