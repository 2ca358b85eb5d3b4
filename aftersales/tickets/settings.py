"""The work orders' settings, read once when the app starts (core/settings.py)."""

from collections.abc import Mapping
from dataclasses import dataclass

from aftersales.core.settings import parsed, section, whole
from aftersales.tickets import sla


@dataclass(frozen=True)
class TicketSettings:
    # GPS proof of presence: an arrival this close to the service location (plus the
    # phone's reported accuracy) is verified.
    geofence_m: int
    # Response, arrival and resolution targets per (type or None, priority).
    targets: dict[tuple[str | None, str], sla.Targets]


def _read(config: Mapping) -> TicketSettings:
    return TicketSettings(
        geofence_m=whole(config, "GEOFENCE_METRES", 500, minimum=10, maximum=50_000),
        targets=parsed(config, "TICKET_TARGETS", "", sla.parse_targets),
    )


current = section("tickets", _read)
