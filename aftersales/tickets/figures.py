"""Work-order counts the outlet pages show (outlet performance, sales-area coverage), as
grouped queries: one row per group, whatever the number of work orders. Registered with
outlets/registry.py: outlets sits below tickets and does not import it."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.periods import local_period
from aftersales.customers import queries as customer_queries
from aftersales.outlets import registry as outlet_registry
from aftersales.tickets.models import IntakeChannel, Ticket


@dataclass(frozen=True)
class OutletWorkOrders:
    outlet_id: int
    received: int
    resolution_decided: int  # stopped resolution clocks, and running ones past due
    resolution_met: int
    online: int = 0  # reported by the customer on the portal

    @property
    def share_met(self) -> float | None:
        if not self.resolution_decided:
            return None
        return round(self.resolution_met / self.resolution_decided, 4)


def per_outlet(session: Session, start: datetime, end: datetime,
               now: datetime | None = None) -> dict[int, OutletWorkOrders]:
    """Work orders received in [start, end), by outlet, and how many met the resolution
    target, of those whose outcome is known: the clock stopped, or it is past due and still
    running (a clock past due is a failure whether or not it has stopped)."""
    past_due = and_(Ticket.resolution_met.is_(None), Ticket.state != "cancelled",
                    Ticket.resolution_due_at < (now or utcnow()))
    stmt = (
        select(
            Ticket.outlet_id,
            func.count(Ticket.id),
            func.count(case((or_(Ticket.resolution_met.is_not(None), past_due), 1))),
            func.count(case((Ticket.resolution_met.is_(True), 1))),
            func.count(case((Ticket.channel == IntakeChannel.PORTAL, 1))),
        )
        .where(Ticket.outlet_id.is_not(None), Ticket.received_at >= start,
               Ticket.received_at < end)
        .group_by(Ticket.outlet_id)
    )
    return {
        row[0]: OutletWorkOrders(row[0], *(int(count) for count in row[1:]))
        for row in session.execute(stmt)
    }


@outlet_registry.sales_volume
def volume_by_customer_city(session: Session, since: datetime, work_orders: bool = True
                            ) -> list[outlet_registry.CityVolume]:
    """Customers, and work orders received since `since` (unless not asked for: counting
    them joins a year of work orders to their customers), by the customer's province and
    city (as named on the customer)."""
    place = customer_queries.customer_places()
    customers = session.execute(
        select(place.c.province, place.c.city, func.count(place.c.id))
        .group_by(place.c.province, place.c.city)
    ).all()
    orders = {} if not work_orders else dict(
        ((row[0], row[1]), int(row[2]))
        for row in session.execute(
            select(place.c.province, place.c.city, func.count(Ticket.id))
            .join(place, place.c.id == Ticket.customer_id)
            .where(Ticket.received_at >= since)
            .group_by(place.c.province, place.c.city)
        )
    )
    volumes = [
        outlet_registry.CityVolume(province, city, int(count), orders.pop((province, city), 0))
        for province, city, count in customers
    ]
    volumes += [outlet_registry.CityVolume(p, c, 0, n) for (p, c), n in orders.items()]
    return volumes


@outlet_registry.performance_figures
def performance_by_outlet(session: Session, first_day: date, last_day: date) -> dict[int, dict]:
    start, end = local_period(first_day, last_day)
    return {
        outlet_id: {
            "work_orders": orders.received, "resolution_decided": orders.resolution_decided,
            "resolution_met": orders.resolution_met, "share_met": orders.share_met,
            "work_orders_online": orders.online,
        }
        for outlet_id, orders in per_outlet(session, start, end).items()
    }
