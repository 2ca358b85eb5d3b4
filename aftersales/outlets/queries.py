"""Set-based reads other modules join against, so a list names its outlets in the same
query: subqueries with named columns."""

from sqlalchemy import Subquery, select

from aftersales.outlets.models import Outlet


def outlet_labels() -> Subquery:
    """(id, code, name) of every outlet."""
    return select(Outlet.id, Outlet.code, Outlet.name).subquery("outlet_labels")
