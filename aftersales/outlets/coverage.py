"""Coverage of prefecture-level cities by outlets: pure computation, no database.

A city is covered by an outlet that serves (self-operated, or contracted with its agreement
in force) and either sits in the city (its city_code) or reaches the city's centroid within
its service radius, measured as a geodesic distance on the WGS-84 ellipsoid (geopy).

At 2,000 outlets x 337 cities most pairs are far apart, so each outlet first asks a
latitude-sorted index for the cities inside its bounding box (a box that provably holds
every point within the radius). Of those, a great-circle distance settles the pairs
clearly inside or outside the radius (the sphere and the ellipsoid differ by less than
0.6 %); only the pairs in that thin band get the exact geodesic distance. The decision
is the geodesic one in every case.
"""

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Lower bounds of the length of one degree on WGS-84: of latitude (at the equator) and of
# longitude at the equator, to be multiplied by cos(latitude).
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320
SPHERE_ERROR = 0.006  # |great circle / geodesic - 1| < 0.6 % on WGS-84 (mean radius sphere)


@dataclass(frozen=True)
class Place:
    """A city centroid."""

    code: str
    name: str
    province: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Site:
    """An outlet that serves on the day coverage is computed for."""

    id: int
    code: str
    city_code: str
    latitude: float
    longitude: float
    radius_km: float
    is_24h: bool


@dataclass
class Counter:
    """How many distances were computed, for the benchmark."""

    boxed: int = 0
    great_circle: int = 0
    geodesic: int = 0


def bounding_box(latitude: float, longitude: float, radius_km: float):
    """(south, north, west, east) holding every point within radius_km (geodesic)."""
    d_lat = radius_km / KM_PER_DEGREE_LATITUDE * 1.001
    south, north = max(latitude - d_lat, -90.0), min(latitude + d_lat, 90.0)
    widest = max(abs(south), abs(north))
    if widest >= 89.9:
        return south, north, -180.0, 180.0
    d_lon = radius_km / (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(widest)))
    d_lon *= 1.001
    return south, north, longitude - d_lon, longitude + d_lon


class CityIndex:
    """Cities sorted by latitude: a box query is a bisection plus a longitude filter."""

    def __init__(self, places: Iterable[Place]):
        self.places = sorted(places, key=lambda place: place.latitude)
        self.latitudes = [place.latitude for place in self.places]

    def in_box(self, south: float, north: float, west: float, east: float) -> list[Place]:
        low, high = bisect_left(self.latitudes, south), bisect_right(self.latitudes, north)
        return [p for p in self.places[low:high] if west <= p.longitude <= east]


def within(a: tuple[float, float], b: tuple[float, float], radius_km: float,
           counter: Counter | None = None) -> bool:
    """Whether the geodesic distance a-b is at most radius_km."""
    from geopy.distance import geodesic, great_circle  # with requests: not at start

    if counter:
        counter.great_circle += 1
    rough = great_circle(a, b).km
    if rough <= radius_km * (1 - SPHERE_ERROR):
        return True
    if rough > radius_km * (1 + SPHERE_ERROR):
        return False
    if counter:
        counter.geodesic += 1
    return geodesic(a, b).km <= radius_km


@dataclass
class Coverage:
    """Per city code: the code of the first outlet found covering it (any service, and
    24-hour service); a city missing from a dict is not covered."""

    places: list[Place]
    by_any: dict[str, str] = field(default_factory=dict)
    by_24h: dict[str, str] = field(default_factory=dict)
    counter: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return len(self.places)

    def share(self, twenty_four_hour: bool = False) -> float | None:
        covered = self.by_24h if twenty_four_hour else self.by_any
        return round(len(covered) / self.total, 4) if self.total else None


def compute(places: Sequence[Place], sites: Iterable[Site],
           index: CityIndex | None = None) -> Coverage:
    """Which cities the sites cover. First every site covers its own city (so a city
    names its own outlet when it has one); then by radius, 24-hour sites first, and a
    city already covered is not measured again by a site that could add nothing to it."""
    coverage = Coverage(places=list(places))
    known = {place.code for place in places}
    index = index or CityIndex(places)
    ordered = sorted(sites, key=lambda site: not site.is_24h)
    for site in ordered:
        if site.city_code in known:
            _mark(coverage, site.city_code, site)
    for site in ordered:
        box = bounding_box(site.latitude, site.longitude, site.radius_km)
        here = (site.latitude, site.longitude)
        for place in index.in_box(*box):
            coverage.counter.boxed += 1
            if place.code in coverage.by_24h or (
                not site.is_24h and place.code in coverage.by_any
            ):
                continue
            if within(here, (place.latitude, place.longitude), site.radius_km, coverage.counter):
                _mark(coverage, place.code, site)
    return coverage


def _mark(coverage: Coverage, city_code: str, site: Site) -> None:
    coverage.by_any.setdefault(city_code, site.code)
    if site.is_24h:
        coverage.by_24h.setdefault(city_code, site.code)


@dataclass(frozen=True)
class Suggestion:
    """One more outlet at a city's centroid: the cities it would newly cover."""

    place: Place
    gained: tuple[str, ...]
    gained_work_orders: int


def _best(open_places: list[Place], radius_km: float,
          work_orders: dict[str, int]) -> Suggestion | None:
    index = CityIndex(open_places)
    best = None
    for candidate in open_places:
        here = (candidate.latitude, candidate.longitude)
        box = bounding_box(candidate.latitude, candidate.longitude, radius_km)
        gained = tuple(sorted(
            place.code for place in index.in_box(*box)
            if place.code == candidate.code
            or within(here, (place.latitude, place.longitude), radius_km)
        ))
        suggestion = Suggestion(
            candidate, gained, sum(work_orders.get(code, 0) for code in gained)
        )
        key = (-len(gained), -suggestion.gained_work_orders, candidate.code)
        if best is None or key < best[0]:
            best = (key, suggestion)
    return best[1] if best else None


def what_if(coverage: Coverage, radius_km: float, work_orders: dict[str, int],
            twenty_four_hour: bool = True, limit: int = 5) -> list[Suggestion]:
    """Where one more outlet of radius_km, put at a city centroid, would cover the most
    cities not covered yet (24-hour coverage by default: the five-star figure); ties go
    to the most work orders newly covered, then to the lowest city code. The first
    suggestion answers the question; each next one assumes the ones before it were
    opened (a greedy plan), so the list does not repeat one cluster five times."""
    covered = coverage.by_24h if twenty_four_hour else coverage.by_any
    open_places = [place for place in coverage.places if place.code not in covered]
    plan = []
    while open_places and len(plan) < limit:
        best = _best(open_places, radius_km, work_orders)
        plan.append(best)
        taken = set(best.gained)
        open_places = [place for place in open_places if place.code not in taken]
    return plan
