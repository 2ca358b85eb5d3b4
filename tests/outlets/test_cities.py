from sqlalchemy import func, select

from aftersales.extensions import db
from aftersales.outlets import cities
from aftersales.outlets.models import City


def test_the_reference_holds_337_cities():
    """333 prefecture-level divisions (293 cities, 7 prefectures, 30 autonomous
    prefectures, 3 leagues) and the 4 municipalities counted as one city each; cpca's
    placeholder rows for directly governed counties and the abolished 莱芜市 are left out,
    and so are Hong Kong, Macao and Taiwan (no city-level rows in cpca)."""
    cities.load_cities(db.session)
    kinds = dict(db.session.execute(select(City.kind, func.count()).group_by(City.kind)).all())
    assert kinds == {"prefecture": 333, "municipality": 4}


def test_loading_twice_changes_nothing():
    assert cities.load_cities(db.session) == cities.load_cities(db.session) == 337
    assert db.session.scalar(select(func.count()).select_from(City)) == 337


def test_municipalities_are_named_after_themselves():
    rows = {row.code: row for row in cities.read_cities()}
    assert [rows[code].name for code in ("110100", "120100", "310100", "500100")] == [
        "北京市", "天津市", "上海市", "重庆市"
    ]
    assert "500200" not in rows  # Chongqing's counties are part of the one city


def test_laiwu_is_gone_and_every_city_has_a_centroid_in_china():
    rows = cities.read_cities()
    assert "371200" not in {row.code for row in rows}
    assert all(3 < row.latitude < 54 and 73 < row.longitude < 136 for row in rows)
