"""One-time links raced on real PostgreSQL: a link opened on two phones and confirmed on
both at once is spent once, and the customer's act is stored once. (SQLite serialises
writers on the whole file: nothing to race.)"""

from sqlalchemy import func, select

from aftersales.customers.models import CustomerAct
from aftersales.extensions import db
from aftersales.tickets import customer_steps
from tests.concurrency import refused, run_together, skip_unless_postgresql
from tests.factories import make_ticket

PHONES = 4
postgresql_only = skip_unless_postgresql("concurrent confirmations")


def test_a_link_confirmed_on_several_phones_at_once_counts_once(app):
    ticket = make_ticket()
    ticket.state = "resolved"
    token = customer_steps.ask(db.session, ticket, "confirm_completion").rsplit("/", 1)[1]
    db.session.commit()
    ticket_id = ticket.id
    outcomes = run_together(app, PHONES, lambda: customer_steps.confirm(
        db.session, token, step="confirm_completion", ticket_id=ticket_id, user_agent="",
        rating=5))
    assert refused(outcomes) == PHONES - 1
    assert db.session.scalar(select(func.count()).select_from(CustomerAct)) == 2  # done + rating
