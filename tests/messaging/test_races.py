"""Delivery jobs racing on real PostgreSQL: however many senders run at once, each message
is sent exactly once. (SQLite serialises writers on the whole file: nothing to race.)"""

import threading

from sqlalchemy import select

from aftersales.extensions import db
from aftersales.messaging import jobs, services
from aftersales.messaging.labels import Channel, MessageStatus
from aftersales.messaging.models import OutgoingMessage
from tests.concurrency import run_together, skip_unless_postgresql
from tests.factories import make_customer

SENDERS = 4
MESSAGES = 20


postgresql_only = skip_unless_postgresql("concurrent senders")


def test_senders_running_together_send_each_message_once(app, monkeypatch):
    customer = make_customer()
    for number in range(MESSAGES):
        services.send(db.session, template="work_order_received",
                      values={"number": f"WO-{number}"}, channel=Channel.SMS,
                      essential=True, customer_id=customer.id)
    db.session.commit()
    handed_over, lock = [], threading.Lock()

    def hand_over(message):
        with lock:
            handed_over.append(message.id)
        return MessageStatus.SENT, None

    monkeypatch.setattr(jobs, "_hand_over", hand_over)
    run_together(app, SENDERS, lambda: jobs.deliver(db.session))
    assert sorted(handed_over) == sorted(set(handed_over)) and len(handed_over) == MESSAGES
    statuses = db.session.scalars(select(OutgoingMessage.status)).all()
    assert set(statuses) == {MessageStatus.SENT}
