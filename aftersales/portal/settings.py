"""The portal's settings, read once when the app starts (core/settings.py): how many
look-ups one client address may make in a window before it waits."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from aftersales.core.settings import section, whole


@dataclass(frozen=True)
class PortalSettings:
    lookups_per_window: int
    window: timedelta


def _read(config: Mapping) -> PortalSettings:
    return PortalSettings(
        lookups_per_window=whole(config, "PORTAL_LOOKUPS_PER_WINDOW", 30, minimum=1),
        window=timedelta(minutes=whole(config, "PORTAL_WINDOW_MINUTES", 10, minimum=1,
                                       maximum=24 * 60)),
    )


current = section("portal", _read)
