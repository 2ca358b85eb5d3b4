"""The complaint clocks' settings, read once when the app starts (core/settings.py):
response and resolution targets per severity, the calendar the resolution clock counts on
("clock": every hour; "business": working hours), and the escalation ladder."""

from collections.abc import Mapping
from dataclasses import dataclass

from aftersales.complaints import clocks
from aftersales.core.settings import parsed, section


@dataclass(frozen=True)
class ComplaintSettings:
    targets: dict[str, clocks.Targets]
    calendar_name: str
    ladder: tuple[clocks.Step, ...]


def _read(config: Mapping) -> ComplaintSettings:
    return ComplaintSettings(
        targets=parsed(config, "COMPLAINT_TARGETS", clocks.DEFAULT_TARGETS_TEXT,
                       clocks.parse_targets),
        calendar_name=parsed(config, "COMPLAINT_CALENDAR", "clock", clocks.parse_calendar_name),
        ladder=parsed(config, "COMPLAINT_LADDER", clocks.DEFAULT_LADDER_TEXT,
                      clocks.parse_ladder),
    )


current = section("complaints", _read)
