"""Coverage on small hand-checked networks (distances in factories.SMALL_MAP)."""

from datetime import date, timedelta

import pytest

from aftersales.extensions import db
from aftersales.outlets import coverage, services
from aftersales.outlets.coverage import Place, Site
from tests.outlets.factories import customer_in, load_small_map, outlet_at

A = Place("420100", "甲市", "湖北省", 30.00, 110.00)
B = Place("420200", "乙市", "湖北省", 30.45, 110.00)
C = Place("420300", "丙市", "湖北省", 30.00, 111.00)
TODAY = date(2026, 11, 23)


def site(city_code, lat, lon, radius, all_day=True, code="X-01"):
    return Site(1, code, city_code, lat, lon, radius, all_day)


def report(day=TODAY, radius=100):
    return services.coverage_report(db.session, day, 0.8, radius)


def test_a_radius_just_short_of_a_centroid_does_not_cover_it():
    result = coverage.compute([A, B], [site("420100", 30.00, 110.00, 49.88)])
    assert set(result.by_any) == {"420100"}  # B is 49.885 km away


def test_a_radius_just_past_a_centroid_covers_it():
    result = coverage.compute([A, B], [site("420100", 30.00, 110.00, 49.89)])
    assert set(result.by_any) == {"420100", "420200"}


def test_the_close_call_is_settled_by_the_geodesic_distance():
    result = coverage.compute([A, B], [site("420100", 30.00, 110.00, 49.89)])
    assert result.counter.geodesic == 1  # the sphere alone cannot tell within 0.6 %


def test_an_outlet_on_a_border_covers_its_own_city_even_far_from_the_centroid():
    # On the A/B line, 24.9 km from either centroid, registered in B, radius 10 km.
    result = coverage.compute([A, B, C], [site("420200", 30.225, 110.00, 10)])
    assert set(result.by_any) == {"420200"}


def test_an_outlet_on_a_border_covers_the_neighbour_its_radius_reaches():
    result = coverage.compute([A, B, C], [site("420200", 30.225, 110.00, 25)])
    assert set(result.by_any) == {"420100", "420200"}


def test_a_city_covered_only_by_a_daytime_outlet_has_no_24_hour_service():
    sites = [site("420100", 30.00, 110.00, 60, all_day=False),
             site("420300", 30.00, 111.00, 10, code="Y-01")]
    result = coverage.compute([A, B, C], sites)
    assert (set(result.by_any), set(result.by_24h)) == (
        {"420100", "420200", "420300"}, {"420300"}
    )
    assert (result.share(), result.share(twenty_four_hour=True)) == (1.0, 0.3333)


def test_the_bounding_box_holds_every_point_within_the_radius():
    south, north, west, east = coverage.bounding_box(30.0, 110.0, 49.89)
    assert south < 29.55 and north > 30.45 and west < 109.48 and east > 110.52


def test_the_what_if_picks_the_city_that_adds_most_cities():
    # A, B and C are uncovered; from A, 100 km reaches B (49.9) and C (96.5).
    result = coverage.compute([A, B, C], [])
    best = coverage.what_if(result, 100, {})[0]
    assert (best.place.code, best.gained) == ("420100", ("420100", "420200", "420300"))


def test_the_what_if_breaks_ties_by_work_orders():
    result = coverage.compute([A, C], [])
    first = coverage.what_if(result, 50, {"420300": 7})[0]
    assert (first.place.code, first.gained_work_orders) == ("420300", 7)


# --- through the database ------------------------------------------------------------


def test_an_outlet_with_an_expired_contracted_agreement_does_not_cover():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 60, kind="contracted",
              agreement_starts_on=TODAY - timedelta(days=365),
              agreement_ends_on=TODAY - timedelta(days=1))
    figures = report()
    assert (figures.covered, figures.serving_outlets, figures.not_serving_outlets) == (0, 0, 1)


def test_the_same_outlet_covers_while_its_agreement_is_in_force():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 60, kind="contracted",
              agreement_starts_on=TODAY - timedelta(days=365),
              agreement_ends_on=TODAY - timedelta(days=1))
    assert report(day=TODAY - timedelta(days=1)).covered == 2  # A, and B at 49.9 km


@pytest.mark.parametrize(("radius", "covered"), [(49, 1), (50, 2)])
def test_an_integer_radius_either_side_of_a_centroid(radius, covered):
    load_small_map()
    outlet_at("420100", 30.0, 110.0, radius)
    assert report().covered == covered


def test_shares_of_all_cities_with_and_without_24_hour_service():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 50, is_24h=True)
    outlet_at("420300", 30.0, 111.0, 10, is_24h=False)
    figures = report()
    assert (figures.cities, figures.covered, figures.covered_24h) == (4, 3, 2)
    assert (figures.share, figures.share_24h) == (0.75, 0.5)


def test_the_sales_area_is_the_cities_with_customers_or_work_orders():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 10)
    customer_in("甲市", tickets=1)
    customer_in("丙市", tickets=3)
    customer_in("丙市")
    figures = report()
    assert (figures.sales_area, figures.sales_area_covered, figures.sales_area_share) == (
        2, 1, 0.5
    )


def test_uncovered_cities_are_ranked_by_work_orders():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 10)
    customer_in("乙市", tickets=1)
    customer_in("丙市", tickets=3)
    ranked = [(line.place.code, line.work_orders) for line in report().uncovered]
    assert ranked == [("420300", 3), ("420200", 1), ("420500", 0)]


def test_a_customer_city_matching_no_reference_city_is_counted_apart():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 10)  # the work order's outlet
    customer_in("火星市", tickets=1)
    assert (report().sales_area, report().unmatched_customer_cities) == (0, 1)


def test_the_what_if_counts_work_orders_of_the_cities_it_would_add():
    load_small_map()
    outlet_at("420500", 25.0, 100.0, 10)
    customer_in("乙市", tickets=2)
    best = report(radius=60).suggestions[0]
    assert (best.place.code, best.gained, best.gained_work_orders) == (
        "420100", ("420100", "420200"), 2
    )


def test_a_city_names_its_own_outlet_before_a_neighbour_reaching_it():
    sites = [site("420100", 30.00, 110.00, 100, code="BIG"),
             site("420200", 30.45, 110.00, 5, code="OWN")]
    assert coverage.compute([A, B], sites).by_any["420200"] == "OWN"


def test_each_next_what_if_assumes_the_ones_before_were_opened():
    far = Place("420500", "丁市", "湖北省", 25.00, 100.00)
    plan = coverage.what_if(coverage.compute([A, B, C, far], []), 100, {})
    assert [(s.place.code, s.gained) for s in plan] == [
        ("420100", ("420100", "420200", "420300")), ("420500", ("420500",))
    ]
