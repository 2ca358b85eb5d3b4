"""Scheduled work: tell the admins, once a week, while a year that clocks already count
on has no holiday schedule (this year, and from November next year).

The dedupe key names the year and the ISO week (`calendar:missing:2027:2026-W49`), so
the daily run, a restart or a second scheduler notify each admin once a week at most,
and the reminders stop by themselves once the year is entered.
"""

from datetime import date

from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from aftersales.calendar import services
from aftersales.core import services as core_services
from aftersales.core.clock import local_today
from aftersales.notifications.services import notify

NOTICE_LOCALE = "zh"  # written in the enterprise's language


def remind_missing_schedule(session: Session, today: date | None = None) -> int:
    """Notify every enabled admin of each year missing; the notifications newly created."""
    today = today or local_today()
    missing = services.years_missing(session, today)
    if not missing:
        return 0
    admins = [user.id for user in core_services.users_with_role(session, "admin")]
    iso_year, week, _day = today.isocalendar()
    created = 0
    with force_locale(NOTICE_LOCALE):
        for year in missing:
            created += notify(
                session, user_ids=admins,
                subject=missing_schedule_text(year),
                body=_l("Business-hour clocks (work-order response and resolution, complaint "
                       "resolution on the business calendar) count %(year)d as a plain "
                       "Monday-to-Friday week until its official holidays and make-up working "
                       "days are entered. Enter them on the business calendar page, or with "
                       "`aftersales calendar import FILE`.", year=year),
                link=f"/calendar/{year}",
                dedupe_key=f"calendar:missing:{year}:{iso_year}-W{week:02d}",
            )
    return created


def missing_schedule_text(year: int) -> LazyString:
    return _l("%(year)d holiday schedule not entered: business-hour clocks count "
             "Monday–Friday.", year=year)
