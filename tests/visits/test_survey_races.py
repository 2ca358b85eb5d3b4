"""Survey senders racing on real PostgreSQL: two schedulers running the job at once send
each work order one survey. (SQLite serialises writers on the whole file: nothing to
race.)"""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from aftersales.core.clock import utcnow
from aftersales.customers.models import CustomerLink
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.visits import jobs
from aftersales.visits.models import SatisfactionSurvey
from tests.visits.factories import make_closed_ticket

SENDERS = 4
WORK_ORDERS = 10


@pytest.fixture(autouse=True)
def postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent senders need PostgreSQL (AFTERSALES_TEST_DATABASE_URL)")


def test_senders_running_together_send_each_work_order_one_survey(app, settings_changed):
    settings_changed("visits", survey_share=1.0)
    for _ in range(WORK_ORDERS):
        make_closed_ticket(utcnow() - timedelta(hours=3), commit=False)
    db.session.commit()
    barrier = threading.Barrier(SENDERS)

    def sender():
        with app.app_context():
            barrier.wait()
            try:
                jobs.send_surveys(db.session)
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    for model in (SatisfactionSurvey, CustomerLink, OutgoingMessage):
        assert db.session.scalar(select(func.count()).select_from(model)) == WORK_ORDERS
