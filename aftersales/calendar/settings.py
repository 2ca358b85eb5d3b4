"""The business calendar's settings, read once when the app starts (core/settings.py): the
company's working hours until hours are stored on the calendar page (stored hours win)."""

from collections.abc import Mapping
from dataclasses import dataclass

from aftersales.core.calendar import DEFAULT_HOURS, WorkingHours
from aftersales.core.settings import parsed, section


@dataclass(frozen=True)
class CalendarSettings:
    working_hours: WorkingHours


def _read(config: Mapping) -> CalendarSettings:
    return CalendarSettings(working_hours=parsed(config, "WORKING_HOURS", "", _hours))


def _hours(text: str) -> WorkingHours:
    return WorkingHours.parse(text) if text.strip() else DEFAULT_HOURS


current = section("calendar", _read)
