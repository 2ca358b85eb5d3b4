"""Evidence providers of outlets (clause 5.1.1.2): coverage of prefecture-level cities
and of the sales area on the period's last day (coverage is a point-in-time figure),
computed by the coverage module over the outlets serving that day. The records behind each
figure are the cities it counts (reference rows keyed by their code, numbered by it), each
with the outlet that covers it, so an auditor recounts the share from the file."""

from datetime import timedelta

from sqlalchemy import Integer, case, cast, null, select

from aftersales.evidence.compliance.registry import (
    Measure,
    names_by,
    provider,
    record_kind,
    record_link,
    record_names,
)
from aftersales.outlets import coverage
from aftersales.outlets import services as outlet_services
from aftersales.outlets.models import City, Outlet

record_link("outlets", "outlets.show", "outlet_id")
record_kind("outlets", hidden=("agreement_file_key",))
record_names("outlets", names_by(Outlet.name))
SALES_WINDOW = timedelta(days=365)
CITY_ID = cast(City.code, Integer)  # codes are six digits: the record id of a city


def _city_rows(ids):
    return (select(CITY_ID.label("id"), City.name, City.province, City.kind)
            .where(CITY_ID.in_(ids)))


# Cities are reference rows keyed by their code: the package prints them from here.
record_kind("cities", label_zh="地级市", label_en="Prefecture-level cities", rows=_city_rows)
record_names("cities", lambda session, ids: dict(session.execute(
    select(CITY_ID, City.name).where(CITY_ID.in_(ids))).all()))
# A city lands on its row of the coverage page (folded there; the browser opens it).
record_link("cities", "outlets.coverage", "_anchor")


def _coverage(session, period) -> coverage.Coverage:
    """Which cities the outlets serving on the last day cover (shared by both providers)."""
    return period.shared("outlets.coverage", lambda: coverage.compute(
        outlet_services.places(session),
        outlet_services.serving_sites(session, period.last_day),
    ))


def _outlet_of(covered: dict[str, str]):
    """The coverage worked out in Python, as a column SQL can print: per city code, the
    code of the outlet covering it (a CASE of at most ~340 cities); NULL when none does."""
    if not covered:
        return null()
    return case(covered, value=City.code, else_=null())


def _cities(codes):
    """The cities `codes` as records."""
    return select(CITY_ID.label("id")).where(City.code.in_(sorted(codes)))


@provider("outlets.city_coverage", record_type="cities", tables=("outlets",))
def city_coverage(session, period, target):
    """Share of prefecture-level cities with 24-hour service on the period's last day (the
    five-star figure the coverage page measures against the same 80 %). The records are
    the cities, each with the outlet covering it. No reference cities: no data."""
    result = _coverage(session, period)
    cities = _cities(place.code for place in result.places)
    return Measure.share(
        len(result.by_24h), result.total,
        records=cities.order_by(CITY_ID),
        failing=cities.where(City.code.not_in(sorted(result.by_24h))).order_by(CITY_ID),
        detail=cities.add_columns(_outlet_of(result.by_24h).label("covered_24h_by_outlet"),
                                  _outlet_of(result.by_any).label("covered_by_outlet")),
    )


@provider("outlets.sales_area_coverage", record_type="cities",
          tables=("outlets", "customers", "tickets"))
def sales_area_coverage(session, period, target):
    """Share of the sales area (cities where customers are, or work orders were received
    in the 365 days up to the period's end) covered by any serving outlet. The records are
    the sales-area cities, each with the outlet covering it. No sales area: no data."""
    result = _coverage(session, period)
    # A work order's city is its customer's: the customers' cities are the whole area.
    volume, _unmatched = outlet_services.sales_volume(session, period.end - SALES_WINDOW,
                                                      work_orders=False)
    sales = [code for code, (customers, _orders) in volume.items() if customers]
    covered = sum(1 for code in sales if code in result.by_any)
    cities = _cities(sales)
    return Measure.share(
        covered, len(sales),
        records=cities.order_by(CITY_ID),
        failing=cities.where(City.code.not_in(sorted(result.by_any))).order_by(CITY_ID),
        detail=cities.add_columns(_outlet_of(result.by_any).label("covered_by_outlet")),
    )
