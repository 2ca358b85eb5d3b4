"""Survey senders racing on real PostgreSQL: two schedulers running the job at once send
each work order one survey. (SQLite serialises writers on the whole file: nothing to
race.)"""

from datetime import timedelta

from sqlalchemy import func, select

from aftersales.core.clock import utcnow
from aftersales.customers.models import CustomerLink
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.visits import jobs
from aftersales.visits.models import SatisfactionSurvey
from tests.concurrency import run_together, skip_unless_postgresql
from tests.visits.factories import make_closed_ticket

SENDERS = 4
WORK_ORDERS = 10


postgresql_only = skip_unless_postgresql("concurrent senders")


def test_senders_running_together_send_each_work_order_one_survey(app, settings_changed):
    settings_changed("visits", survey_share=1.0)
    for _ in range(WORK_ORDERS):
        make_closed_ticket(utcnow() - timedelta(hours=3), commit=False)
    db.session.commit()
    run_together(app, SENDERS, lambda: jobs.send_surveys(db.session))
    for model in (SatisfactionSurvey, CustomerLink, OutgoingMessage):
        assert db.session.scalar(select(func.count()).select_from(model)) == WORK_ORDERS
