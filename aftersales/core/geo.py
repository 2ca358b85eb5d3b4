"""Geography without the internet: addresses to coordinates, and distances on the ellipsoid.

`Geocoder` is the interface; `RegistryGeocoder` answers from the district and city
centroids shipped in the `cpca` package (China's administrative divisions with
coordinates, `resources/adcodes.csv`). An online geocoder can be plugged in later by
putting an object with the same `locate` method in `app.extensions["geocoder"]`; tests
never call one.

cpca itself is not imported: its `__init__` loads pandas. The data file is found through
the package's import spec and read once with the csv module.
"""

import csv
import functools
import importlib.util
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal, Protocol

from flask import current_app, has_app_context

Precision = Literal["exact", "district", "city"]
PRECISIONS: tuple[str, ...] = ("exact", "district", "city")
# Suffixes an address may leave out: 广东 for 广东省, 朝阳 for 朝阳区.
SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
            "省", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True)
class Location:
    latitude: Decimal
    longitude: Decimal
    precision: Precision


class Geocoder(Protocol):
    def locate(
        self, province: str, city: str, district: str, address: str
    ) -> Location | None:
        """Coordinates of a Chinese address, or None when nothing is known."""


@dataclass(frozen=True)
class _Division:
    code: str  # 12 digits: 2 province, 2 city, 2 district, 6 below
    name: str
    latitude: Decimal
    longitude: Decimal

    @property
    def level(self) -> str:
        if self.code[2:6] == "0000":
            return "province"
        return "city" if self.code[4:6] == "00" else "district"


def _short(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _same_place(given: str, name: str) -> bool:
    given = given.strip()
    return bool(given) and (given == name or _short(given) == _short(name))


def place_names(*parts: str) -> str:
    """Province, city, district and street as one line, each place named once: a
    municipality is its own province and city (北京市朝阳区…, not 北京市北京市朝阳区…)."""
    kept: list[str] = []
    for part in (part.strip() for part in parts if part and part.strip()):
        if not (kept and _same_place(part, kept[-1])):
            kept.append(part)
    return "".join(kept)


def division_name(code: str) -> str | None:
    """The registry's name of a six-digit division (a county: 朝阳区), or None."""
    found = next((d for d in _inside(code[:4]) if d.code == f"{code}000000"), None)
    return found.name if found else None


def _after_names(address: str, *names: str) -> str:
    """The address with a leading province and city name taken off."""
    text = address.strip()
    for name in names:
        for form in (name.strip(), _short(name.strip())):
            if form and text.startswith(form):
                text = text[len(form):]
                break
    return text


def registry_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package (China's administrative divisions) is missing")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@functools.cache
def _divisions() -> tuple[_Division, ...]:
    with registry_path().open(encoding="utf-8", newline="") as handle:
        return tuple(
            _Division(row["adcode"], row["name"], Decimal(row["latitude"]),
                      Decimal(row["longitude"]))
            for row in csv.DictReader(handle)
            if row["latitude"] and row["longitude"] and len(row["adcode"]) == 12
        )


@functools.cache
def _provinces() -> tuple[_Division, ...]:
    return tuple(d for d in _divisions() if d.level == "province")


@functools.cache
def _inside(prefix: str) -> tuple[_Division, ...]:
    """The divisions whose code starts with `prefix` (a province's 2 or a city's 4 digits):
    looked up once, not scanned for every address."""
    return tuple(d for d in _divisions() if d.code.startswith(prefix))


class RegistryGeocoder:
    """District centroid when the district is known (given, or named in the address),
    else the city's; a municipality (北京市, 上海市…) is its own city."""

    def locate(self, province: str, city: str, district: str, address: str) -> Location | None:
        provinces = [d for d in _provinces() if _same_place(province, d.name)]
        if not provinces:
            return None
        inside = _inside(provinces[0].code[:2])
        cities = [d for d in inside if d.level == "city" and _same_place(city, d.name)]
        if cities:
            town, area = cities[0], _inside(cities[0].code[:4])
        elif _same_place(city, provinces[0].name):  # a municipality: districts under it
            town, area = provinces[0], inside
        else:
            return None
        found = self._district(area, district, _after_names(address, province, city))
        if found is not None:
            return Location(found.latitude, found.longitude, "district")
        return Location(town.latitude, town.longitude, "city")

    @staticmethod
    def _district(area: tuple[_Division, ...], district: str, address: str
                  ) -> _Division | None:
        districts = [d for d in area if d.level == "district"]
        for candidate in districts:
            if _same_place(district, candidate.name):
                return candidate
        if not district.strip():  # often written into the street address: 朝阳区建国路1号
            named = [d for d in districts if address.strip().startswith(d.name)]
            if named:
                return max(named, key=lambda d: len(d.name))
        return None


def default_geocoder() -> Geocoder:
    """The app's geocoder (app.extensions["geocoder"]) or the offline registry."""
    if has_app_context():
        plugged = current_app.extensions.get("geocoder")
        if plugged is not None:
            return plugged
    return RegistryGeocoder()


def distance_m(a: tuple, b: tuple) -> float:
    """Geodesic (WGS-84) distance in metres between two (latitude, longitude) pairs."""
    from geopy.distance import geodesic  # with requests: not at start

    return geodesic((float(a[0]), float(a[1])), (float(b[0]), float(b[1]))).meters
