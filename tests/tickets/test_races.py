"""Writers racing on real PostgreSQL: a stamp resent from many threads lands once and
every copy is answered with it; stamps and moves on the same work orders never deadlock.
(SQLite serialises writers on the whole file: there is nothing to race.)"""

import threading
import uuid

import pytest
from sqlalchemy import func, select

from aftersales.core import audit
from aftersales.extensions import db
from aftersales.tickets.models import TicketStamp
from tests.factories import bearer, make_token
from tests.tickets.stamp_helpers import HOME, assigned_ticket


@pytest.fixture(autouse=True)
def postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (AFTERSALES_TEST_DATABASE_URL)")


def run_together(app, count, request) -> list[int]:
    """`request(client, n)` from `count` threads released at once; their status codes."""
    statuses, barrier = [], threading.Barrier(count)

    def worker(n):
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            try:
                statuses.append(request(client, n))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def stamp_body(kind="depart", client_id=None):
    return {"client_id": client_id or str(uuid.uuid4()), "kind": kind, "latitude": HOME[0],
            "longitude": HOME[1], "accuracy_m": 10, "device_at": _now_iso()}


def _now_iso():
    from aftersales.core.clock import utcnow

    return utcnow().isoformat()


def test_one_stamp_resent_from_twenty_threads_is_stored_once(app):
    ticket, technician, _dispatcher = assigned_ticket()
    # a token per phone: the first use of a fresh token writes its last-used time, and
    # copies sharing one would queue on that row instead of racing
    url, tokens = f"/api/v1/tickets/{ticket.id}/stamps", [
        bearer(make_token(technician)) for _ in range(20)]
    body = stamp_body()
    statuses = run_together(app, 20, lambda client, n: client.post(
        url, json=body, headers=tokens[n]).status_code)
    assert sorted(statuses) == [200] * 19 + [201]
    assert db.session.scalar(select(func.count()).select_from(TicketStamp)) == 1


def test_stamps_and_moves_on_the_same_orders_never_deadlock(app):
    # (order id, technician id, technician's token, dispatcher's token): plain values,
    # since the threads have sessions of their own
    orders = [(ticket.id, technician.id, [bearer(make_token(technician)) for _ in range(4)],
               [bearer(make_token(dispatcher)) for _ in range(4)])
              for ticket, technician, dispatcher in (assigned_ticket() for _ in range(4))]

    def work(client, n):
        ticket_id, technician_id, technicians, dispatchers = orders[n % len(orders)]
        technician, dispatcher = technicians[n // 4], dispatchers[n // 4]
        if n % 2:
            return client.post(f"/api/v1/tickets/{ticket_id}/stamps", headers=technician,
                               json=stamp_body("depart")).status_code
        move = ({"to_state": "dispatched"} if n % 4 == 0 else
                {"to_state": "assigned", "technician_id": technician_id})
        return client.post(f"/api/v1/tickets/{ticket_id}/moves", headers=dispatcher,
                           json=move).status_code

    statuses = run_together(app, 16, work)
    assert all(status < 500 for status in statuses), statuses
    db.session.expire_all()
    assert audit.verify_chain(db.session)[1] is None


def test_the_first_receipts_of_a_part_at_an_outlet_all_land_when_they_come_at_once(app):
    from aftersales.customers import services as customer_services
    from aftersales.tickets import stock
    from tests.factories import make_outlet, make_product, make_user

    outlet = make_outlet()
    part = customer_services.create_part(db.session, make_product().id, "P-77", "压缩机", "main",
                                         90000)
    tokens = [make_token(make_user("manager")) for _ in range(8)]
    db.session.commit()
    receipt = {"outlet_id": outlet.id, "part_id": part.id, "quantity": 1}
    statuses = run_together(app, 8, lambda client, n: client.post(
        "/api/v1/stock/receipts", json=receipt, headers=bearer(tokens[n])).status_code)
    assert statuses == [201] * 8
    db.session.remove()
    assert stock.stock_on_hand(db.session, receipt["outlet_id"], receipt["part_id"]) == 8
