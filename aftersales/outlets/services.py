from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from aftersales.core import audit, pickers
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope, scope_of
from aftersales.core.storage import storage
from aftersales.core.uploads import SCANS, check_upload, upload_limit
from aftersales.outlets import coverage, registry
from aftersales.outlets.models import City, Outlet

# The bookable visit windows, for the portal (outlets/slots.py).
from aftersales.outlets.slots import OpenWindow as OpenWindow
from aftersales.outlets.slots import add_slot as add_slot
from aftersales.outlets.slots import book_window as book_window
from aftersales.outlets.slots import open_windows as open_windows

EDITABLE = (
    "name", "kind", "province", "city", "region_code", "province_code", "city_code", "address",
    "latitude", "longitude", "opening_hours", "is_24h", "service_radius_km", "categories",
    "staff_count", "agreement_starts_on", "agreement_ends_on",
)


def _normalise(session: Session, values: dict) -> dict:
    """Codes derived where not given (city from region, province from city), checked
    against the reference cities when those are loaded; a contracted outlet needs the
    validity of its agreement."""
    values = dict(values)
    for name in ("latitude", "longitude"):
        if name in values:
            values[name] = Decimal(str(values[name]))
    if not values.get("city_code"):
        values["city_code"] = values["region_code"][:4] + "00"
    if not values.get("province_code"):
        values["province_code"] = values["city_code"][:2] + "0000"
    if values["province_code"][:2] != values["city_code"][:2]:
        raise ValidationFailed(_l("The city is not in that province."), field="city_code")
    if session.scalar(select(City.code).limit(1)) is not None and not session.get(
        City, values["city_code"]
    ):
        raise ValidationFailed(_l("Not a prefecture-level city code."), field="city_code")
    if values.get("kind") == "contracted":
        for name in ("agreement_starts_on", "agreement_ends_on"):
            if not values.get(name):
                raise ValidationFailed(
                    _l("A contracted outlet needs the validity of its agreement."), field=name
                )
        if values["agreement_ends_on"] < values["agreement_starts_on"]:
            raise ValidationFailed(
                _l("The agreement ends before it starts."), field="agreement_ends_on"
            )
    values["categories"] = sorted({c.strip() for c in values.get("categories") or () if c})
    return values


def create_outlet(session: Session, **values) -> Outlet:
    code = values["code"].strip().upper()
    if session.scalar(select(Outlet.id).where(Outlet.code == code)):
        raise Conflict(_l("Outlet code %(code)s exists already.", code=code), field="code")
    outlet = Outlet(**{**_normalise(session, values), "code": code})
    session.add(outlet)
    session.flush()
    return outlet


def update_outlet(session: Session, outlet: Outlet, **changes) -> Outlet:
    current = {name: getattr(outlet, name) for name in EDITABLE}
    if "region_code" in changes and "city_code" not in changes:
        current["city_code"] = current["province_code"] = None
    if "city_code" in changes and "province_code" not in changes:
        current["province_code"] = None
    values = _normalise(session, {**current, **changes})
    for name in EDITABLE:
        setattr(outlet, name, values[name])
    session.flush()
    return outlet


def attach_agreement(session: Session, outlet: Outlet, data: bytes, filename: str) -> Outlet:
    """Keep the signed agreement (PDF, PNG or JPEG, checked by content and size)."""
    content_type = check_upload(data, SCANS, upload_limit())
    audit.label_change(session, outlet, "attach_agreement")
    outlet.agreement_file_key = storage().write(data)
    outlet.agreement_file_name = (filename or "agreement").rsplit("/", 1)[-1][:200]
    outlet.agreement_content_type = content_type
    session.flush()
    return outlet


def agreement_file(outlet: Outlet) -> tuple[bytes, str, str]:
    if not outlet.agreement_file_key:
        raise NotFound(_l("No agreement on file."), field="file")
    data = storage().read(outlet.agreement_file_key)
    return data, outlet.agreement_content_type, outlet.agreement_file_name


def get_outlet(session: Session, outlet_id: int, scope: Scope | None = None) -> Outlet:
    outlet = session.get(Outlet, outlet_id)
    if outlet is not None and scope is not None:
        condition = scope.condition(Outlet.id, Outlet.region_code)
        if condition is not None and not session.scalar(
            select(Outlet.id).where(Outlet.id == outlet_id, condition)
        ):
            outlet = None
    if outlet is None:
        raise NotFound(_l("No such outlet."), field="outlet_id")
    return outlet


def list_outlets(
    session: Session, scope: Scope, province: str | None, cursor: str | None, limit: int,
    province_code: str | None = None, city_code: str | None = None,
) -> Page:
    stmt = select(Outlet)
    limit_to_scope = scope.condition(Outlet.id, Outlet.region_code)
    if limit_to_scope is not None:
        stmt = stmt.where(limit_to_scope)
    if province:
        stmt = stmt.where(Outlet.province == province)
    if province_code:
        stmt = stmt.where(Outlet.province_code == province_code)
    if city_code:
        stmt = stmt.where(Outlet.city_code == city_code)
    return keyset_page(session, stmt, Outlet.id, cursor, limit)


def outlets_by_id(session: Session, outlet_ids: Iterable[int | None]) -> dict[int, Outlet]:
    """The outlets of a page of records, in one query."""
    ids = {outlet_id for outlet_id in outlet_ids if outlet_id is not None}
    if not ids:
        return {}
    found = session.scalars(select(Outlet).where(Outlet.id.in_(ids)))
    return {outlet.id: outlet for outlet in found}


@pickers.lists_outlets
def outlet_choices(session: Session) -> list[pickers.OutletChoice]:
    """(id, code, name, region code) of every outlet, for pickers."""
    rows = session.execute(
        select(Outlet.id, Outlet.code, Outlet.name, Outlet.region_code).order_by(Outlet.code)
    )
    return [tuple(row) for row in rows]


def outlet_names(session: Session, outlet_ids: Iterable[int | None]) -> dict[int, str]:
    """Names for a page of records that carry an outlet id, in one query."""
    ids = {outlet_id for outlet_id in outlet_ids if outlet_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(Outlet.id, Outlet.name).where(Outlet.id.in_(ids)))
    return {key: name for key, name in rows}


def outlet_ids_by_code(session: Session, codes: Iterable[str]) -> dict[str, int]:
    """The ids of the outlets named by these codes (BJ-01), in one query; unknown codes
    are left out."""
    wanted = set(codes) - {""}
    if not wanted:
        return {}
    return dict(session.execute(
        select(Outlet.code, Outlet.id).where(Outlet.code.in_(wanted))
    ).all())


def region_code_of(session: Session, outlet_id: int) -> str | None:
    """The region an outlet lies in (None: no such outlet)."""
    return session.scalar(select(Outlet.region_code).where(Outlet.id == outlet_id))


def region_of(outlet_id_column):
    """A column expression: the region code of the outlet a record belongs to, so records
    that carry only an outlet id can be limited to a region scope."""
    return select(Outlet.region_code).where(Outlet.id == outlet_id_column).scalar_subquery()


def outlets_in_scope(scope: Scope, outlet_id_column):
    """A WHERE clause (None: no limit): records of the outlets `scope` reaches, a region
    scope as one semi-join on its regions' outlets, which PostgreSQL hashes once, where
    `region_of` looks the region up record by record (over 100,000 complaints: 85 ms
    against 2 s). For statements that read many records at once."""
    if scope.everywhere:
        return None
    clauses = [outlet_id_column.in_(scope.outlet_ids)] if scope.outlet_ids else []
    if scope.region_codes:
        clauses.append(outlet_id_column.in_(
            select(Outlet.id).where(Outlet.region_code.in_(scope.region_codes))))
    return or_(*clauses) if clauses else false()


def in_scope(stmt, scope: Scope | None, outlet_id_column):
    """`stmt` limited to what `scope` may see, by the outlet each record belongs to (and
    that outlet's region). None: no limit (system work)."""
    if scope is None:
        return stmt
    condition = outlets_in_scope(scope, outlet_id_column)
    return stmt if condition is None else stmt.where(condition)


def provinces(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the provinces of the reference cities."""
    rows = session.execute(
        select(City.province_code, City.province).distinct().order_by(City.province_code)
    )
    return [tuple(row) for row in rows]


def list_cities(session: Session) -> list[City]:
    return list(session.scalars(select(City).order_by(City.code)))


# --- coverage ----------------------------------------------------------------------------


def serving_condition(day: date):
    """SQL: the outlet serves on `day` (self-operated, or its agreement is in force)."""
    return or_(
        Outlet.kind == "self_operated",
        and_(Outlet.agreement_starts_on <= day, Outlet.agreement_ends_on >= day),
    )


def places(session: Session) -> list[coverage.Place]:
    rows = session.execute(
        select(City.code, City.name, City.province, City.latitude, City.longitude)
    )
    return [coverage.Place(*row) for row in rows]


def serving_sites(session: Session, day: date) -> list[coverage.Site]:
    rows = session.execute(
        select(Outlet.id, Outlet.code, Outlet.city_code, Outlet.latitude, Outlet.longitude,
               Outlet.service_radius_km, Outlet.is_24h)
        .where(serving_condition(day))
    )
    return [
        coverage.Site(id_, code, city, float(lat), float(lon), float(radius), bool(all_day))
        for id_, code, city, lat, lon, radius, all_day in rows
    ]


@dataclass(frozen=True)
class CityLine:
    place: coverage.Place
    covered_by: str | None
    covered_24h_by: str | None
    customers: int
    work_orders: int

    @property
    def in_sales_area(self) -> bool:
        return bool(self.customers or self.work_orders)


@dataclass(frozen=True)
class CoverageReport:
    day: date
    target: float
    cities: int
    covered: int
    covered_24h: int
    sales_area: int
    sales_area_covered: int
    sales_area_covered_24h: int
    serving_outlets: int
    not_serving_outlets: int
    unmatched_customer_cities: int
    lines: list[CityLine]
    suggestions: list[coverage.Suggestion]
    what_if_radius_km: int
    sites: list[coverage.Site]

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def share(self) -> float | None:
        return self._share(self.covered, self.cities)

    @property
    def share_24h(self) -> float | None:
        return self._share(self.covered_24h, self.cities)

    @property
    def sales_area_share(self) -> float | None:
        return self._share(self.sales_area_covered, self.sales_area)

    @property
    def sales_area_share_24h(self) -> float | None:
        return self._share(self.sales_area_covered_24h, self.sales_area)

    @property
    def meets_target(self) -> bool:
        return self.share_24h is not None and self.share_24h >= self.target

    @property
    def uncovered(self) -> list[CityLine]:
        """Cities no outlet covers, most work orders first (then customers, then code)."""
        lines = [line for line in self.lines if line.covered_by is None]
        return sorted(lines, key=lambda c: (-c.work_orders, -c.customers, c.place.code))


def _city_codes_by_name(session: Session) -> dict:
    lookup = {}
    for code, name, province in session.execute(select(City.code, City.name, City.province)):
        lookup[(province, name)] = code
        lookup.setdefault(name, code)
        lookup.setdefault(name.removesuffix("市"), code)
    return lookup


def sales_volume(session: Session, since: datetime, work_orders: bool = True
                 ) -> tuple[dict[str, tuple[int, int]], int]:
    """(customers, work orders) by city code, and how many customer cities matched none.
    Without work_orders, customers alone (work orders counted as 0): which cities are in
    the sales area, for a work order's city is its customer's."""
    lookup = _city_codes_by_name(session)
    volume: dict[str, tuple[int, int]] = {}
    unmatched = 0
    rows = [row for source in registry.volume_sources()
            for row in source(session, since, work_orders)]
    for row in rows:
        code = lookup.get((row.province, row.city)) or lookup.get(row.city)
        if code is None:
            unmatched += 1
            continue
        customers, orders = volume.get(code, (0, 0))
        volume[code] = (customers + row.customers, orders + row.work_orders)
    return volume, unmatched


def coverage_report(session: Session, day: date, target: float, what_if_radius_km: int,
                    now: datetime | None = None) -> CoverageReport:
    """Coverage on `day` of all prefecture-level cities and of the sales area (cities with
    customers or work orders received in the last 365 days), the uncovered cities, and
    where one more 24-hour outlet of what_if_radius_km would add the most."""
    now = now or utcnow()
    all_places = places(session)
    sites = serving_sites(session, day)
    result = coverage.compute(all_places, sites)
    volume, unmatched = sales_volume(session, now - timedelta(days=365))
    lines = [
        CityLine(place, result.by_any.get(place.code), result.by_24h.get(place.code),
                 *volume.get(place.code, (0, 0)))
        for place in sorted(all_places, key=lambda p: p.code)
    ]
    sales = [line for line in lines if line.in_sales_area]
    outlets_total = session.scalar(select(func.count(Outlet.id))) or 0
    return CoverageReport(
        day=day, target=target, cities=len(lines),
        covered=len(result.by_any), covered_24h=len(result.by_24h),
        sales_area=len(sales),
        sales_area_covered=sum(1 for line in sales if line.covered_by),
        sales_area_covered_24h=sum(1 for line in sales if line.covered_24h_by),
        serving_outlets=len(sites), not_serving_outlets=outlets_total - len(sites),
        unmatched_customer_cities=unmatched, lines=lines,
        suggestions=coverage.what_if(
            result, what_if_radius_km, {code: v[1] for code, v in volume.items()}
        ),
        what_if_radius_km=what_if_radius_km, sites=sites,
    )


# --- which outlet a piece of work belongs to -------------------------------------------


@dataclass(frozen=True)
class ServingOutlet:
    outlet: Outlet
    km: float | None  # None: the place is known by its city only
    reaches: bool  # the place is within the outlet's service radius


def outlets_serving(session: Session, latitude: float | None, longitude: float | None,
                    city: str, category: str | None, day: date) -> list[ServingOutlet]:
    """The in-network outlets that may take work at a place, the one that takes it first:
    among the outlets serving on `day` whose categories include the product's (an empty
    list serves every category), those whose service radius reaches the place nearest
    first, then the others nearest first; with no coordinates, those in the same city."""
    outlets = session.scalars(select(Outlet).where(serving_condition(day)).order_by(Outlet.id))
    candidates = [outlet for outlet in outlets
                  if not outlet.categories or category is None or category in outlet.categories]
    if latitude is None or longitude is None:
        return [ServingOutlet(outlet, None, True) for outlet in candidates if outlet.city == city]
    from geopy.distance import great_circle  # with requests: not at start

    place = (float(latitude), float(longitude))
    measured = []
    for outlet in candidates:
        km = great_circle(place, (float(outlet.latitude), float(outlet.longitude))).km
        measured.append(ServingOutlet(outlet, km, km <= outlet.service_radius_km))
    return sorted(measured, key=lambda serving: (not serving.reaches, serving.km))


def covering_outlet(session: Session, latitude: float | None, longitude: float | None,
                    city: str, category: str | None, day: date) -> Outlet | None:
    """The in-network outlet that takes work at a place (see outlets_serving). None: no
    outlet serves it."""
    serving = outlets_serving(session, latitude, longitude, city, category, day)
    return serving[0].outlet if serving else None


def may_act_at(session: Session, user, permission: str, outlet_id: int | None) -> bool:
    """Whether `user` holds `permission` for records of this outlet: an assignee must be
    able to open what is assigned to them."""
    scope = scope_of(user, permission)
    if scope.everywhere:
        return True
    if outlet_id is None:
        return False
    region = session.scalar(select(Outlet.region_code).where(Outlet.id == outlet_id))
    return scope.allows(outlet_id, region)
