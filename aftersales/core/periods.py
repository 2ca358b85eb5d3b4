"""A period of local calendar days, as the pages that report per period take it."""

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from aftersales.core.clock import DEFAULT_ZONE
from aftersales.core.errors import ValidationFailed

MAX_PERIOD_DAYS = 366


def local_period(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """Local calendar days (Asia/Shanghai), both included, as [start, end) in UTC."""
    if last_day < first_day:
        raise ValidationFailed(_l("The period ends before it starts."), field="to")
    if (last_day - first_day).days >= MAX_PERIOD_DAYS:
        raise ValidationFailed(_l("Choose a period of at most a year."), field="from")
    if last_day >= date.max:
        raise ValidationFailed(_l("Not a date."), field="to")
    start = datetime.combine(first_day, time(), DEFAULT_ZONE)
    end = datetime.combine(last_day + timedelta(days=1), time(), DEFAULT_ZONE)
    return start, end
