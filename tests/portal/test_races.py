"""One-time links raced on real PostgreSQL: a link opened on two phones and confirmed on
both at once is spent once, and the customer's act is stored once. (SQLite serialises
writers on the whole file: nothing to race.)"""

import threading

import pytest
from sqlalchemy import func, select

from aftersales.core.errors import DomainError
from aftersales.customers.models import CustomerAct
from aftersales.extensions import db
from aftersales.tickets import customer_steps
from tests.factories import make_ticket

PHONES = 4


@pytest.fixture(autouse=True)
def postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent confirmations need PostgreSQL (AFTERSALES_TEST_DATABASE_URL)")


def test_a_link_confirmed_on_several_phones_at_once_counts_once(app):
    ticket = make_ticket()
    ticket.state = "resolved"
    token = customer_steps.ask(db.session, ticket, "confirm_completion").rsplit("/", 1)[1]
    db.session.commit()
    ticket_id, outcomes, lock = ticket.id, [], threading.Lock()
    barrier = threading.Barrier(PHONES)

    def phone():
        with app.app_context():
            barrier.wait()
            try:
                customer_steps.confirm(db.session, token, step="confirm_completion",
                                       ticket_id=ticket_id, user_agent="", rating=5)
                db.session.commit()
                outcome = "confirmed"
            except DomainError:
                db.session.rollback()
                outcome = "refused"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=phone) for _ in range(PHONES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert sorted(outcomes) == ["confirmed"] + ["refused"] * (PHONES - 1)
    assert db.session.scalar(select(func.count()).select_from(CustomerAct)) == 2  # done + rating
