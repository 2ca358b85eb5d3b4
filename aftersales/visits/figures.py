"""The return-visit figures of a period: of the work orders closed in it, how many were
sampled and visited, how satisfied the customers were, what the dissatisfied got.
One grouped query, whatever the number of work orders."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from aftersales.core.periods import local_period
from aftersales.core.permissions import Scope
from aftersales.outlets import registry as outlet_registry
from aftersales.outlets import services as outlet_services
from aftersales.tickets import queries as ticket_queries
from aftersales.visits.models import DISSATISFIED, ReturnVisit
from aftersales.visits.sampling import stratum_order

SATISFACTION_TARGET = 90  # of 100: customer satisfaction >= 90
FINISHED_TICKET_STATES = ("resolved", "closed")


@dataclass(frozen=True)
class VisitFigures:
    """Return visits of the work orders closed in a period (overall, or one outlet)."""

    outlet_id: int | None
    closed: int
    sampled: int
    done: int
    due: int
    reached: int
    not_reached: int
    refused: int
    scored: int
    satisfaction_total: int
    dissatisfied: int
    follow_ups: int
    follow_ups_finished: int

    @property
    def share_sampled(self) -> float | None:
        return round(self.sampled / self.closed, 4) if self.closed else None

    @property
    def share_reached(self) -> float | None:
        return round(self.reached / self.closed, 4) if self.closed else None

    @property
    def average_satisfaction(self) -> float | None:
        """Of 5."""
        return round(self.satisfaction_total / self.scored, 2) if self.scored else None

    @property
    def satisfaction_100(self) -> float | None:
        """On a 100 scale: the average score x 20."""
        return round(self.satisfaction_total * 20 / self.scored, 1) if self.scored else None

    @property
    def share_dissatisfied(self) -> float | None:
        return round(self.dissatisfied / self.scored, 4) if self.scored else None

    def __add__(self, other: "VisitFigures") -> "VisitFigures":
        counts = {
            name: getattr(self, name) + getattr(other, name)
            for name in self.__dataclass_fields__
            if name != "outlet_id"
        }
        return VisitFigures(outlet_id=None, **counts)


_NO_FIGURES = dict.fromkeys(
    (name for name in VisitFigures.__dataclass_fields__ if name != "outlet_id"), 0
)


@dataclass(frozen=True)
class PeriodFigures:
    first_day: date
    last_day: date
    overall: VisitFigures
    outlets: list[VisitFigures]


def period_figures(
    session: Session, first_day: date, last_day: date, scope: Scope | None = None
) -> PeriodFigures:
    """One grouped query over the work orders closed in the period, their visits and the
    follow-ups those opened; overall is the sum of the outlets."""
    start, end = local_period(first_day, last_day)
    orders = ticket_queries.work_orders()
    follow_up = ticket_queries.work_orders("follow_up")
    visit = ReturnVisit

    def count_if(condition):
        return func.count(case((condition, 1)))

    stmt = (
        select(
            orders.c.outlet_id,
            func.count(orders.c.id),
            func.count(visit.id),
            count_if(visit.state == "done"),
            count_if(visit.state == "due"),
            count_if(visit.outcome == "reached"),
            count_if(visit.outcome == "not_reached"),
            count_if(visit.outcome == "refused"),
            func.count(visit.satisfaction),
            func.coalesce(func.sum(visit.satisfaction), 0),
            count_if(visit.satisfaction <= DISSATISFIED),
            func.count(visit.follow_up_ticket_id),
            count_if(follow_up.c.state.in_(FINISHED_TICKET_STATES)),
        )
        .select_from(orders)
        .outerjoin(visit, visit.ticket_id == orders.c.id)
        .outerjoin(follow_up, follow_up.c.id == visit.follow_up_ticket_id)
        .where(orders.c.state == "closed", orders.c.closed_at >= start,
               orders.c.closed_at < end)
        .group_by(orders.c.outlet_id)
    )
    if scope is not None:
        stmt = outlet_services.in_scope(stmt, scope, orders.c.outlet_id)
    names = [name for name in VisitFigures.__dataclass_fields__ if name != "outlet_id"]
    outlets = [
        VisitFigures(outlet_id=row[0], **dict(zip(names, (int(v) for v in row[1:]), strict=True)))
        for row in session.execute(stmt)
    ]
    outlets.sort(key=lambda f: stratum_order((f.outlet_id, "")))
    overall = sum(outlets, VisitFigures(outlet_id=None, **_NO_FIGURES))
    return PeriodFigures(first_day, last_day, overall, outlets)


@outlet_registry.performance_figures
def performance_by_outlet(session: Session, first_day: date, last_day: date) -> dict[int, dict]:
    return {
        figures.outlet_id: {
            "visits_scored": figures.scored, "satisfaction_100": figures.satisfaction_100,
        }
        for figures in period_figures(session, first_day, last_day).outlets
    }
