"""Benchmark: coverage of all 337 reference cities by 2,000 outlets, next to floors.

    .venv/bin/python -m tests.bench.bench_coverage [--outlets 2000] [--radius 50-150]

No database: cities come straight from cpca's data, outlets are placed at random near
random city centroids (fixed seed). Floors, measured in the same run:
- the bare bounding-box prune (index look-ups only, no distance at all);
- a plain haversine loop over every outlet x city pair (no pruning, spherical distances);
- geopy's geodesic over the pairs the box keeps (what pruning alone would cost).
Ends with one `figure:` line per figure (tests/bench/figures.py), the bounding-box prune as
the floor of both computations; asserts nothing (timings are not tests).
"""

import argparse
import math
import random
import time
from dataclasses import replace

from geopy.distance import geodesic

from aftersales.outlets import coverage
from aftersales.outlets.cities import read_cities
from tests.bench import figures


def network(count: int, radii: tuple[int, int], seed: int = 27922):
    rng = random.Random(seed)
    cities = read_cities()
    places = [coverage.Place(c.code, c.name, c.province, c.latitude, c.longitude)
              for c in cities]
    # Outlets crowd the east like a real network: cities east of 105°E weigh 4x.
    weights = [4 if place.longitude > 105 else 1 for place in places]
    sites = []
    for n in range(count):
        home = rng.choices(places, weights)[0]
        sites.append(coverage.Site(
            n, f"B-{n:04d}", home.code, home.latitude + rng.uniform(-0.3, 0.3),
            home.longitude + rng.uniform(-0.3, 0.3), rng.randint(*radii), rng.random() < 0.6,
        ))
    return places, sites


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def best_of(runs: int, action):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outlets", type=int, default=2000)
    parser.add_argument("--radius", default="50-150", help="min-max service radius, km")
    args = parser.parse_args()
    radii = tuple(int(part) for part in args.radius.split("-"))
    places, sites = network(args.outlets, radii)
    index = coverage.CityIndex(places)
    print(f"{len(sites)} outlets x {len(places)} cities = {len(sites) * len(places):,} pairs")

    def boxes_only():
        return sum(len(index.in_box(*coverage.bounding_box(s.latitude, s.longitude,
                                                           s.radius_km))) for s in sites)

    def haversine_loop():
        covered = set()
        for s in sites:
            for p in places:
                if haversine_km(s.latitude, s.longitude, p.latitude, p.longitude) <= s.radius_km:
                    covered.add(p.code)
        return covered

    def geodesic_on_boxed():
        count = 0
        for s in sites:
            box = coverage.bounding_box(s.latitude, s.longitude, s.radius_km)
            for p in index.in_box(*box):
                geodesic((s.latitude, s.longitude), (p.latitude, p.longitude))
                count += 1
        return count

    t_box, boxed = best_of(5, boxes_only)
    t_hav, _ = best_of(3, haversine_loop)
    t_full, result = best_of(5, lambda: coverage.compute(places, sites, index))
    t_what, _ = best_of(5, lambda: coverage.what_if(result, 100, {}))
    t_geo, _ = best_of(1, geodesic_on_boxed)
    counter = result.counter
    print(f"floor: bounding-box prune only        {t_box * 1000:8.1f} ms  ({boxed:,} pairs kept)")
    print(f"floor: plain haversine, every pair    {t_hav * 1000:8.1f} ms")
    print(f"ref:   geodesic on every boxed pair   {t_geo * 1000:8.1f} ms")
    print(f"coverage.compute (box, sphere, geodesic in the band)"
          f" {t_full * 1000:8.1f} ms  ({counter.boxed:,} boxed, {counter.great_circle:,}"
          f" great-circle, {counter.geodesic:,} geodesic)")
    print(f"coverage.what_if (uncovered cities x uncovered) {t_what * 1000:8.1f} ms")
    # The hard case: no outlet registered in a city, every city settled by distance.
    unhomed = [replace(site, city_code="") for site in sites]
    t_hard, hard = best_of(5, lambda: coverage.compute(places, unhomed, index))
    print(f"coverage.compute, no own-city shortcut       {t_hard * 1000:8.1f} ms"
          f"  ({hard.counter.great_circle:,} great-circle, {hard.counter.geodesic:,} geodesic;"
          f" covered {len(hard.by_any)})")
    print(f"covered {len(result.by_any)} / {len(places)}, 24 h {len(result.by_24h)}")
    figures.report("coverage.compute", t_full * 1000, t_box * 1000, goal="ratio<=1.5", unit="ms")
    figures.report("coverage.compute_no_own_city", t_hard * 1000, t_box * 1000,
                   goal="ratio<=1.5", unit="ms")
    figures.report("coverage.what_if", t_what * 1000, None, goal="measured<=200", unit="ms")


if __name__ == "__main__":
    main()
