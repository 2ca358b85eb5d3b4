"""Outlet performance in a period: work orders received, the share that met the
resolution target, satisfaction from return visits. Complaints per outlet join when the
complaints module exists (it does not yet)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core.permissions import Scope
from aftersales.outlets.models import Outlet
from aftersales.tickets import figures as ticket_figures
from aftersales.visits import figures as visit_figures
from aftersales.visits.sampling import local_period


@dataclass(frozen=True)
class OutletPerformance:
    outlet_id: int
    code: str
    name: str
    work_orders: int
    resolution_decided: int
    resolution_met: int
    share_met: float | None
    visits_scored: int
    satisfaction_100: float | None


def outlet_performance(session: Session, first_day: date, last_day: date,
                       scope: Scope) -> list[OutletPerformance]:
    """One row per outlet in scope: three grouped queries, whatever the volume."""
    start, end = local_period(first_day, last_day)
    stmt = select(Outlet.id, Outlet.code, Outlet.name).order_by(Outlet.code)
    condition = scope.condition(Outlet.id, Outlet.region_code)
    if condition is not None:
        stmt = stmt.where(condition)
    orders = ticket_figures.per_outlet(session, start, end)
    visits = {
        figures.outlet_id: figures
        for figures in visit_figures.period_figures(session, first_day, last_day).outlets
    }
    rows = []
    for outlet_id, code, name in session.execute(stmt):
        worked = orders.get(outlet_id)
        visited = visits.get(outlet_id)
        rows.append(OutletPerformance(
            outlet_id=outlet_id, code=code, name=name,
            work_orders=worked.received if worked else 0,
            resolution_decided=worked.resolution_decided if worked else 0,
            resolution_met=worked.resolution_met if worked else 0,
            share_met=worked.share_met if worked else None,
            visits_scored=visited.scored if visited else 0,
            satisfaction_100=visited.satisfaction_100 if visited else None,
        ))
    return rows
