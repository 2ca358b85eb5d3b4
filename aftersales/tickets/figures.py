"""Work-order counts other modules need (outlet performance, sales-area coverage), as
grouped queries: one row per group, whatever the number of work orders."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from aftersales.customers.models import Customer
from aftersales.tickets.models import Ticket


@dataclass(frozen=True)
class OutletWorkOrders:
    outlet_id: int
    received: int
    resolution_decided: int  # work orders whose resolution clock has stopped
    resolution_met: int

    @property
    def share_met(self) -> float | None:
        if not self.resolution_decided:
            return None
        return round(self.resolution_met / self.resolution_decided, 4)


def per_outlet(session: Session, start: datetime, end: datetime) -> dict[int, OutletWorkOrders]:
    """Work orders received in [start, end), by outlet, and how many met the resolution
    target (of those whose clock has stopped)."""
    stmt = (
        select(
            Ticket.outlet_id,
            func.count(Ticket.id),
            func.count(Ticket.resolution_met),
            func.count(case((Ticket.resolution_met.is_(True), 1))),
        )
        .where(Ticket.outlet_id.is_not(None), Ticket.received_at >= start,
               Ticket.received_at < end)
        .group_by(Ticket.outlet_id)
    )
    return {
        row[0]: OutletWorkOrders(row[0], int(row[1]), int(row[2]), int(row[3]))
        for row in session.execute(stmt)
    }


@dataclass(frozen=True)
class CityVolume:
    province: str
    city: str
    customers: int
    work_orders: int


def volume_by_customer_city(session: Session, since: datetime) -> list[CityVolume]:
    """Customers, and work orders received since `since`, by the customer's province and
    city (as named on the customer)."""
    customers = session.execute(
        select(Customer.province, Customer.city, func.count(Customer.id))
        .group_by(Customer.province, Customer.city)
    ).all()
    orders = dict(
        ((row[0], row[1]), int(row[2]))
        for row in session.execute(
            select(Customer.province, Customer.city, func.count(Ticket.id))
            .join(Customer, Customer.id == Ticket.customer_id)
            .where(Ticket.received_at >= since)
            .group_by(Customer.province, Customer.city)
        )
    )
    volumes = [
        CityVolume(province, city, int(count), orders.pop((province, city), 0))
        for province, city, count in customers
    ]
    volumes += [CityVolume(p, c, 0, n) for (p, c), n in orders.items()]
    return volumes
