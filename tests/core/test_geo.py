"""Offline geocoding from the administrative-division registry, and distances."""

from decimal import Decimal

import pytest

from aftersales.core import geo
from aftersales.customers import services as customer_services
from aftersales.extensions import db
from tests.factories import make_ticket

registry = geo.RegistryGeocoder()


def test_a_known_district_gives_its_centroid():
    place = registry.locate("广东省", "深圳市", "南山区", "科技园路1号")
    assert place.precision == "district"
    assert geo.distance_m((place.latitude, place.longitude), (22.533, 113.930)) < 1000


def test_an_unknown_district_falls_back_to_the_city():
    place = registry.locate("广东省", "深圳市", "不存在区", "")
    assert (place.precision, place.latitude, place.longitude) == (
        "city", Decimal("22.543527"), Decimal("114.057939"))


def test_a_municipality_district_is_found_in_the_street_address():
    place = registry.locate("北京市", "北京市", "", "朝阳区建国路88号")
    assert place.precision == "district"
    # 朝阳区 of Beijing, not the one of 长春市 in 吉林省.
    assert geo.distance_m((place.latitude, place.longitude), (39.92, 116.44)) < 2000


def test_short_names_without_suffixes_are_understood():
    assert registry.locate("广东", "深圳", "南山", "").precision == "district"


def test_an_unknown_province_or_city_gives_nothing():
    assert registry.locate("火星", "基地", "", "") is None
    assert registry.locate("广东省", "不存在市", "", "") is None


def test_distance_is_geodesic_metres():
    assert geo.distance_m((39.9, 116.4), (39.9, 116.435)) == pytest.approx(2993, abs=2)


def test_a_work_order_takes_the_customers_exact_coordinates():
    customer = customer_services.create_customer(
        db.session, "person", "王芳", "13900000001", "北京市", "北京市", "朝阳区1号",
        latitude=39.91, longitude=116.45)
    ticket = make_ticket(customer=customer)
    assert (ticket.service_location_precision, ticket.service_latitude) == ("exact",
                                                                           Decimal("39.91"))


def test_a_work_order_without_coordinates_takes_the_district_centroid():
    customer = customer_services.create_customer(
        db.session, "person", "王芳", "13900000002", "广东省", "深圳市", "科技园路1号",
        district="南山区")
    assert make_ticket(customer=customer).service_location_precision == "district"


def test_a_different_service_address_is_placed_from_its_own_text():
    customer = customer_services.create_customer(
        db.session, "person", "王芳", "13900000003", "北京市", "北京市", "朝阳区1号",
        latitude=39.91, longitude=116.45)
    ticket = make_ticket(customer=customer, service_address="海淀区中关村大街1号")
    assert ticket.service_location_precision == "district"
    assert geo.distance_m((ticket.service_latitude, ticket.service_longitude),
                          (39.96, 116.30)) < 2000


def test_a_plugged_in_geocoder_is_used(app):
    class Fixed:
        def locate(self, province, city, district, address):
            return geo.Location(Decimal("30"), Decimal("120"), "exact")

    app.extensions["geocoder"] = Fixed()
    try:
        customer = customer_services.create_customer(
            db.session, "person", "王芳", "13900000004", "北京市", "北京市", "朝阳区1号")
        ticket = make_ticket(customer=customer)
    finally:
        del app.extensions["geocoder"]
    assert (ticket.service_latitude, ticket.service_location_precision) == (Decimal("30"),
                                                                            "exact")
