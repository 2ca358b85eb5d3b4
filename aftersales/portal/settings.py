"""The portal's settings, read once when the app starts (core/settings.py): how many
look-ups one client address may make in a window before it waits; how many fault reports
one client address and one phone number may send in the report window; how many days
ahead the outlets' visit windows are offered."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from aftersales.core.settings import section, whole


@dataclass(frozen=True)
class PortalSettings:
    lookups_per_window: int
    window: timedelta
    reports_per_address: int
    reports_per_phone: int
    report_window: timedelta
    booking_days: int


def _read(config: Mapping) -> PortalSettings:
    return PortalSettings(
        lookups_per_window=whole(config, "PORTAL_LOOKUPS_PER_WINDOW", 30, minimum=1),
        window=timedelta(minutes=whole(config, "PORTAL_WINDOW_MINUTES", 10, minimum=1,
                                       maximum=24 * 60)),
        reports_per_address=whole(config, "PORTAL_REPORTS_PER_ADDRESS", 50, minimum=1),
        reports_per_phone=whole(config, "PORTAL_REPORTS_PER_PHONE", 3, minimum=1),
        report_window=timedelta(minutes=whole(config, "PORTAL_REPORT_WINDOW_MINUTES", 24 * 60,
                                              minimum=1, maximum=7 * 24 * 60)),
        booking_days=whole(config, "PORTAL_BOOKING_DAYS", 7, minimum=1, maximum=60),
    )


current = section("portal", _read)
