"""Complaints of one customer taken at the same instant on real PostgreSQL (the hotline and
the portal at once): each still keeps its predecessor's received time, so the repeat
figure counts what happened. (SQLite serialises writers on the whole file.)"""

import random
from itertools import count

from sqlalchemy import select

from aftersales.complaints import services
from aftersales.complaints.models import Complaint
from aftersales.extensions import db
from tests.complaints.factories import T0, hours
from tests.concurrency import run_together, skip_unless_postgresql
from tests.factories import make_customer

postgresql_only = skip_unless_postgresql("complaints taken at once")

WRITERS = 8


def test_complaints_taken_at_once_each_keep_their_predecessor(app):
    customer_id = make_customer().id
    db.session.commit()
    # received times handed out shuffled: some complaints enter before earlier ones
    received = [T0 + hours(n) for n in range(WRITERS)]
    random.Random(27922).shuffle(received)
    turn = count()

    def take_one():
        intake = services.Intake(channel="hotline", category="repair_quality",
                                 severity="normal", customer_id=customer_id,
                                 summary="维修后仍不制冷", description="第二次投诉",
                                 received_at=received[next(turn)])
        return services.open_complaint(db.session, None, intake, now=T0 + hours(WRITERS)).id

    run_together(app, WRITERS, take_one)
    stored = db.session.execute(
        select(Complaint.received_at, Complaint.previous_received_at)
        .where(Complaint.customer_id == customer_id).order_by(Complaint.received_at)).all()
    assert [previous for _, previous in stored] == [None, *(at for at, _ in stored[:-1])]
