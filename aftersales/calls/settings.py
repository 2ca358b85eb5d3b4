"""The hotline's settings, read once when the app starts (core/settings.py): its opening
hours, every day, in the display zone: "08:00-12:00,13:00-20:00"."""

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from aftersales.core.clock import DEFAULT_ZONE
from aftersales.core.settings import parsed, section

DEFAULT_HOURS = "08:00-20:00"
_WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")


@dataclass(frozen=True)
class HotlineHours:
    """Opening windows, every day, local time (Asia/Shanghai): minutes since midnight,
    start included, end excluded."""

    windows: tuple[tuple[int, int], ...]

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(DEFAULT_ZONE)
        second = local.hour * 3600 + local.minute * 60 + local.second
        return any(start * 60 <= second < end * 60 for start, end in self.windows)

    def __str__(self) -> str:
        return ", ".join(f"{_clock(start)}-{_clock(end)}" for start, end in self.windows)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@functools.lru_cache(maxsize=8)
def parse_hours(text: str) -> HotlineHours:
    """"08:00-12:00,13:00-20:00" -> windows; "00:00-24:00" is round the clock and a
    window past midnight ("22:00-02:00") wraps. ValueError on anything else."""
    windows = []
    for part in text.replace(" ", "").split(","):
        match = _WINDOW.match(part)
        if not match:
            raise ValueError(f"hotline hours: {part!r} is not HH:MM-HH:MM")
        start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if end > 24 * 60:
            raise ValueError(f"hotline hours: {part!r} ends after 24:00")
        if start == end:
            raise ValueError(f"hotline hours: {part!r} is empty")
        windows += [(start, end)] if start < end else [(start, 24 * 60), (0, end)]
    return HotlineHours(tuple(sorted(windows)))


@dataclass(frozen=True)
class CallSettings:
    hotline_hours: HotlineHours


def _read(config: Mapping) -> CallSettings:
    return CallSettings(hotline_hours=parsed(config, "HOTLINE_HOURS", DEFAULT_HOURS, parse_hours))


current = section("calls", _read)
