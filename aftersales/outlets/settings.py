"""The outlets' settings, read once when the app starts (core/settings.py): the five-star
target share of cities with 24-hour service, and the radius the coverage what-if gives one
more outlet."""

from collections.abc import Mapping
from dataclasses import dataclass

from aftersales.core.settings import fraction, section, whole


@dataclass(frozen=True)
class OutletSettings:
    coverage_target: float
    what_if_radius_km: int


def _read(config: Mapping) -> OutletSettings:
    return OutletSettings(
        coverage_target=fraction(config, "COVERAGE_TARGET", 0.8),
        what_if_radius_km=whole(config, "WHAT_IF_RADIUS_KM", 100, minimum=1, maximum=2000),
    )


current = section("outlets", _read)
