"""Set-based reads other modules join against (return visits count the work orders closed
in a period), so they count in one query without knowing the tickets table: subqueries
with named columns."""

from sqlalchemy import Subquery, select

from aftersales.tickets.models import Ticket


def work_orders(name: str = "work_orders") -> Subquery:
    """(id, state, type, outlet_id, customer_id, description, service_address, closed_at)
    of every work order; `name` tells two uses in one query apart."""
    return select(
        Ticket.id, Ticket.state, Ticket.type, Ticket.outlet_id, Ticket.customer_id,
        Ticket.description, Ticket.service_address, Ticket.closed_at,
    ).subquery(name)
