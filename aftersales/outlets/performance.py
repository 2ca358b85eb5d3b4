"""Outlet performance in a period: the figures the modules that work at outlets register
in outlets/registry.py (work orders received and the share that met the resolution target,
satisfaction from return visits, complaints and the share answered within 24 hours), one
row per outlet."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core.periods import local_period
from aftersales.core.permissions import Scope
from aftersales.outlets import registry
from aftersales.outlets.models import Outlet


@dataclass(frozen=True)
class OutletPerformance:
    outlet_id: int
    code: str
    name: str
    work_orders: int = 0
    work_orders_online: int = 0  # reported by customers on the portal
    resolution_decided: int = 0
    resolution_met: int = 0
    share_met: float | None = None
    visits_scored: int = 0
    satisfaction_100: float | None = None
    complaints: int = 0
    complaints_response_24h_rate: float | None = None


@dataclass(frozen=True)
class Intake:
    """Work orders received at the outlets shown, and how many customers reported online."""

    work_orders: int
    online: int

    @property
    def share_online(self) -> float | None:
        return self.online / self.work_orders if self.work_orders else None


def intake(rows: list[OutletPerformance]) -> Intake:
    return Intake(sum(row.work_orders for row in rows),
                  sum(row.work_orders_online for row in rows))


def outlet_performance(session: Session, first_day: date, last_day: date,
                       scope: Scope) -> list[OutletPerformance]:
    """One row per outlet in scope: one grouped query per source, whatever the volume."""
    local_period(first_day, last_day)  # refuses a period the sources would not count
    stmt = select(Outlet.id, Outlet.code, Outlet.name).order_by(Outlet.code)
    condition = scope.condition(Outlet.id, Outlet.region_code)
    if condition is not None:
        stmt = stmt.where(condition)
    counted = [source(session, first_day, last_day) for source in registry.performance_sources()]
    rows = []
    for outlet_id, code, name in session.execute(stmt):
        figures: dict = {}
        for by_outlet in counted:
            figures.update(by_outlet.get(outlet_id, {}))
        rows.append(OutletPerformance(outlet_id=outlet_id, code=code, name=name, **figures))
    return rows
