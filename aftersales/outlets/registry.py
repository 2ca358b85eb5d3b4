"""Figures about outlets that other modules count. Those modules sit above this one (they
scope their records by outlet through outlets.services), so outlets imports none of them:
each registers, in its figures.py, what it counts per outlet or per city, and the outlet
pages ask here. The figures files are loaded by name, like the evidence providers."""

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from aftersales.core import domain_files

FIGURES_FILE = "figures"

# (session, first_day, last_day) -> {outlet id: {field of OutletPerformance: value}}
PerformanceSource = Callable[[Session, date, date], Mapping[int, Mapping[str, Any]]]


@dataclass(frozen=True)
class CityVolume:
    province: str
    city: str
    customers: int
    work_orders: int


# (session, since, work_orders) -> customers and work orders received since, by the
# customer's city (work orders counted as 0 when work_orders is False)
VolumeSource = Callable[[Session, datetime, bool], Iterable[CityVolume]]

_PERFORMANCE: list[PerformanceSource] = []
_VOLUME: list[VolumeSource] = []


def performance_figures(func: PerformanceSource) -> PerformanceSource:
    _PERFORMANCE.append(func)
    return func


def sales_volume(func: VolumeSource) -> VolumeSource:
    _VOLUME.append(func)
    return func


def performance_sources() -> list[PerformanceSource]:
    _load_figure_owners()
    return list(_PERFORMANCE)


def volume_sources() -> list[VolumeSource]:
    _load_figure_owners()
    return list(_VOLUME)


@functools.cache
def _load_figure_owners() -> None:
    """Import every domain's figures.py once (they register on import)."""
    domain_files.import_each(FIGURES_FILE)
