"""The stamps read for pages and sheets: the first N of each work order, in the order sent,
one long trail never crowding out another's."""

import uuid

from sqlalchemy import insert

from aftersales.core.clock import utcnow
from aftersales.extensions import db
from aftersales.tickets import stamps
from aftersales.tickets.models import TicketStamp
from tests.tickets.stamp_helpers import HOME, assigned_ticket


def trail(ticket, technician, count) -> list[int]:
    """`count` stamps sent on the work order; their ids in the order sent."""
    rows = [{"client_id": str(uuid.uuid4()), "ticket_id": ticket.id,
             "technician_id": technician.id, "kind": "depart", "latitude": HOME[0],
             "longitude": HOME[1], "accuracy_m": 10, "device_at": utcnow(),
             "status": "recorded"} for _ in range(count)]
    ids = [db.session.execute(insert(TicketStamp).values(row).returning(TicketStamp.id))
           .scalar_one() for row in rows]
    db.session.commit()
    return ids


def test_each_work_order_gets_its_first_stamps_up_to_the_limit():
    long_one, technician, _dispatcher = assigned_ticket()
    short_one, _technician, _dispatcher = assigned_ticket(technician=technician)
    long_ids = trail(long_one, technician, 5)
    short_ids = trail(short_one, technician, 2)
    found = stamps.stamps_by_ticket(db.session, [long_one.id, short_one.id], limit=3)
    assert [stamp.id for stamp in found[long_one.id]] == long_ids[:3]
    assert [stamp.id for stamp in found[short_one.id]] == short_ids
