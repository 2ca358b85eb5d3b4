"""Demo calendar: the 24-hour service centres keep the clock round the year, and one
outlet closed a day for its stock-take. Next year's holiday schedule is left unentered,
as it is in a company that has not yet read the State Council's notice: the home page and
the dashboard show the red notice, and `aftersales calendar status` names the year."""

from datetime import date

from sqlalchemy.orm import Session

from aftersales.calendar import services
from aftersales.core.calendar import WorkingHours
from aftersales.core.clock import local_today

ROUND_THE_CLOCK = WorkingHours.parse(
    "workday=00:00-24:00; weekend=00:00-24:00; holiday=00:00-24:00")
STOCK_TAKE_OUTLET = "HZ-01"


def load(session: Session, outlets: dict) -> int:
    """Store the hours of the demo's 24-hour service centres and a closure; returns how
    many outlets keep hours of their own."""
    centres = [outlet for outlet in outlets.values() if outlet.is_24h]
    for outlet in centres:
        services.set_hours(session, outlet.id, ROUND_THE_CLOCK)
    this_year = local_today().year
    stock_take = date(this_year, 6, 30)
    services.replace_year(session, this_year, [services.DayEntry(
        stock_take, "closure", "年中盘点停业", outlets[STOCK_TAKE_OUTLET].id)])
    return len(centres)
