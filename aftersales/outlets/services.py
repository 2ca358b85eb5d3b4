from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core.errors import Conflict, NotFound
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope
from aftersales.outlets.models import Outlet


def create_outlet(session: Session, **values) -> Outlet:
    code = values["code"].strip().upper()
    if session.scalar(select(Outlet.id).where(Outlet.code == code)):
        raise Conflict(_l("Outlet code %(code)s exists already.", code=code), field="code")
    outlet = Outlet(
        **{
            **values,
            "code": code,
            "latitude": Decimal(str(values["latitude"])),
            "longitude": Decimal(str(values["longitude"])),
        }
    )
    session.add(outlet)
    session.flush()
    return outlet


def get_outlet(session: Session, outlet_id: int) -> Outlet:
    outlet = session.get(Outlet, outlet_id)
    if outlet is None:
        raise NotFound(_l("No such outlet."), field="outlet_id")
    return outlet


def list_outlets(
    session: Session, scope: Scope, province: str | None, cursor: str | None, limit: int
) -> Page:
    stmt = select(Outlet)
    limit_to_scope = scope.condition(Outlet.id, Outlet.region_code)
    if limit_to_scope is not None:
        stmt = stmt.where(limit_to_scope)
    if province:
        stmt = stmt.where(Outlet.province == province)
    return keyset_page(session, stmt, Outlet.id, cursor, limit)


def outlet_choices(session: Session) -> list[tuple[int, str, str, str]]:
    """(id, code, name, region code) of every outlet, for pickers."""
    rows = session.execute(
        select(Outlet.id, Outlet.code, Outlet.name, Outlet.region_code).order_by(Outlet.code)
    )
    return [tuple(row) for row in rows]


def region_of(outlet_id_column):
    """A column expression: the region code of the outlet a record belongs to, so records
    that carry only an outlet id can be limited to a region scope."""
    return select(Outlet.region_code).where(Outlet.id == outlet_id_column).scalar_subquery()
