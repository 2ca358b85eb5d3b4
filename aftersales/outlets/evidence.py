"""Evidence providers of outlets (clause 5.1.1.2): coverage of prefecture-level cities
and of the sales area on the period's last day (coverage is a point-in-time figure),
computed by the coverage module over the outlets serving that day. Cities are reference
rows keyed by their code, so the records behind a figure are the serving outlets; the
uncovered cities are listed on the coverage page."""

from datetime import timedelta

from sqlalchemy import select

from aftersales.evidence.registry import Measure, provider, record_kind, record_link
from aftersales.outlets import coverage
from aftersales.outlets import services as outlet_services
from aftersales.outlets.models import Outlet

record_link("outlets", "outlets_api.get_outlet", "outlet_id")
record_kind("outlets", hidden=("agreement_file_key",))
SALES_WINDOW = timedelta(days=365)


def _coverage(session, period) -> coverage.Coverage:
    """Which cities the outlets serving on the last day cover (shared by both providers)."""
    return period.shared("outlets.coverage", lambda: coverage.compute(
        outlet_services.places(session),
        outlet_services.serving_sites(session, period.last_day),
    ))


def _serving(period):
    return (select(Outlet.id).where(outlet_services.serving_condition(period.last_day))
            .order_by(Outlet.id.desc()))


@provider("outlets.city_coverage", record_type="outlets", tables=("outlets",))
def city_coverage(session, period, target):
    """Share of prefecture-level cities with 24-hour service (the five-star figure the
    coverage page measures against the same 80 %). No reference cities: no data."""
    result = _coverage(session, period)
    return Measure.share(len(result.by_24h), result.total, records=_serving(period))


@provider("outlets.sales_area_coverage", record_type="outlets",
          tables=("outlets", "customers", "tickets"))
def sales_area_coverage(session, period, target):
    """Share of the sales area (cities where customers are, or work orders were received
    in the 365 days up to the period's end) covered by any serving outlet. No sales area:
    no data."""
    result = _coverage(session, period)
    volume, _unmatched = outlet_services.sales_volume(session, period.end - SALES_WINDOW)
    sales = [code for code, (customers, orders) in volume.items() if customers or orders]
    covered = sum(1 for code in sales if code in result.by_any)
    return Measure.share(covered, len(sales), records=_serving(period))
