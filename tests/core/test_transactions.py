"""A request whose transaction PostgreSQL rolled back to break a deadlock runs once more
from the start; the user sees the result, not the deadlock."""

import psycopg.errors
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from aftersales.tickets import services as ticket_services
from aftersales.tickets.models import Ticket
from tests.factories import bearer, home_outlet, make_customer, make_token, make_user


def deadlock() -> OperationalError:
    return OperationalError("UPDATE tickets …", {}, psycopg.errors.DeadlockDetected(
        "deadlock detected"))


@pytest.fixture
def deadlocking_open_ticket(monkeypatch):
    """open_ticket losing `times` deadlocks before it goes through."""
    def install(times: int):
        real, left = ticket_services.open_ticket, [times]

        def open_ticket(*args, **kwargs):
            ticket = real(*args, **kwargs)  # its rows are written, then the database says no
            if left[0]:
                left[0] -= 1
                raise deadlock()
            return ticket

        monkeypatch.setattr(ticket_services, "open_ticket", open_ticket)
    return install


def open_one(client):
    home_outlet()
    headers = bearer(make_token(make_user("agent")))
    return client.post("/api/v1/tickets", headers=headers, json={
        "type": "repair", "customer_id": make_customer().id, "description": "不制冷"})


def tickets() -> int:
    from aftersales.extensions import db

    return db.session.scalar(select(func.count()).select_from(Ticket))


def test_a_request_that_lost_a_deadlock_runs_again_and_succeeds(client, deadlocking_open_ticket):
    deadlocking_open_ticket(1)
    response = open_one(client)
    assert response.status_code == 201, response.json
    assert tickets() == 1


def test_a_second_deadlock_answers_503_with_retry_after_and_keeps_nothing(
        client, deadlocking_open_ticket):
    deadlocking_open_ticket(2)
    response = open_one(client)
    assert response.status_code == 503
    assert response.json["code"] == "unavailable"
    assert response.headers["Retry-After"]
    assert tickets() == 0
