"""The outlets module's evidence providers: coverage on the period's last day (distances
in factories.SMALL_MAP: from 甲市, 乙市 is 49.9 km and 丙市 96.5 km away)."""

from aftersales.evidence.compliance import registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from tests.evidence.factories import days_ago
from tests.outlets.factories import customer_in, load_small_map, outlet_at


def measure(key: str, target: float = 1.0):
    return registry.registered()[key].func(db.session, Period.ending(days_ago(0), 90), target)


def test_city_coverage_is_the_share_of_cities_with_24_hour_service():
    load_small_map()
    all_day = outlet_at("420100", 30.0, 110.0, 50, is_24h=True)  # 甲市 and 乙市
    daytime = outlet_at("420300", 30.0, 111.0, 10, is_24h=False)  # 丙市, not 24 hours
    measured = measure("outlets.city_coverage", 0.8)
    assert (measured.value, measured.passed, measured.checked) == (0.5, 2, 4)
    # The records are the four cities, each with the outlet that covers it.
    assert list(db.session.scalars(measured.records)) == [420100, 420200, 420300, 420500]
    assert list(db.session.scalars(measured.failing)) == [420300, 420500]
    detail = {row.id: row for row in db.session.execute(measured.detail)}
    assert detail[420200].covered_24h_by_outlet == all_day.code
    assert (detail[420300].covered_24h_by_outlet, detail[420300].covered_by_outlet) == (
        None, daytime.code)


def test_coverage_is_taken_on_the_periods_last_day():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 50, kind="contracted",
              agreement_starts_on=days_ago(300), agreement_ends_on=days_ago(1))
    measured = measure("outlets.city_coverage", 0.8)
    assert measured.value == 0.0
    assert len(list(db.session.scalars(measured.failing))) == 4  # every city uncovered


def test_sales_area_coverage_is_the_share_of_customer_cities_covered():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 10, is_24h=False)
    customer_in("甲市", tickets=1)
    customer_in("丙市", tickets=3)
    measured = measure("outlets.sales_area_coverage")
    assert (measured.value, measured.passed, measured.checked) == (0.5, 1, 2)
    assert list(db.session.scalars(measured.records)) == [420100, 420300]
    assert list(db.session.scalars(measured.failing)) == [420300]


def test_no_reference_cities_is_no_data_for_city_coverage():
    outlet_at("420100", 30.0, 110.0, 50)
    assert measure("outlets.city_coverage", 0.8).value is None


def test_no_customer_or_work_order_is_no_data_for_sales_area_coverage():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 50)
    assert measure("outlets.sales_area_coverage").value is None

