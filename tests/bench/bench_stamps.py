"""Benchmark: technicians' last known positions (the dispatch board) over millions of GPS
stamps, next to the same lookup written by hand in plain SQL, and a window-function version.

    .venv/bin/python -m tests.bench.bench_stamps [--rows 1000000] [--technicians 5000]

Fills a temporary SQLite file (or AFTERSALES_DATABASE_URL, a database it may fill) with
stamps spread over the technicians, then times `tickets.stamps.last_positions` for a board
of 50 technicians and for all of them. A database that already holds stamps (the full-size
data, docs/benchmarks.md) is measured as it is, over the technicians who stamped. Ends with
one `figure:` line per board (tests/bench/figures.py); asserts nothing.
"""

import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from aftersales import create_app
from aftersales.core.clock import utcnow
from aftersales.core.models import User
from aftersales.customers.models import Customer
from aftersales.extensions import db
from aftersales.tickets import stamps
from aftersales.tickets.models import Ticket, TicketStamp
from tests.bench import figures

BATCH = 20_000
REPEATS = 7
FLOOR = """
SELECT s.technician_id, s.latitude, s.longitude, s.accuracy_m, s.device_at, s.ticket_id, s.kind
FROM ticket_stamps s
WHERE s.id IN (
  SELECT (SELECT t.id FROM ticket_stamps t WHERE t.technician_id = u.id
          ORDER BY t.device_at DESC, t.id DESC LIMIT 1)
  FROM users u WHERE u.id IN ({ids}))
"""
WINDOW = """
SELECT * FROM (
  SELECT technician_id, latitude, longitude, device_at,
         row_number() OVER (PARTITION BY technician_id ORDER BY device_at DESC, id DESC) AS n
  FROM ticket_stamps WHERE technician_id IN ({ids})) ranked
WHERE n = 1
"""


def _fill(rows: int, technicians: int) -> list[int]:
    now = utcnow()
    db.session.execute(insert(User.__table__), [
        {"username": f"tech{n}", "display_name": f"工程师{n}", "password_hash": "x",
         "is_enabled": True, "locale": "zh", "created_at": now}
        for n in range(technicians)])
    db.session.execute(insert(Customer.__table__), [{
        "kind": "person", "name": "基准客户", "phone": "13900000000", "province": "北京市",
        "city": "北京市", "district": "", "address": "朝阳区建国路88号", "created_at": now}])
    customer_id = db.session.scalar(select(Customer.id))
    db.session.execute(insert(Ticket.__table__), [{
        "type": "repair", "priority": "normal", "state": "closed", "customer_id": customer_id,
        "description": "不制冷", "service_address": "朝阳区建国路88号",
        "warranty_status": "in_warranty", "received_at": now, "created_at": now,
        "response_due_at": now, "resolution_due_at": now}])
    ticket_id = db.session.scalar(select(Ticket.id))
    user_ids = list(db.session.scalars(select(User.id)))
    rng = random.Random(1)
    start = now - timedelta(days=3 * 365)
    span = 3 * 365 * 24 * 3600
    for first in range(0, rows, BATCH):
        db.session.execute(insert(TicketStamp.__table__), [{
            "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "ticket_id": ticket_id, "technician_id": rng.choice(user_ids),
            "kind": rng.choice(("depart", "arrive", "finish")),
            "latitude": round(39.9 + rng.uniform(-.3, .3), 6),
            "longitude": round(116.4 + rng.uniform(-.3, .3), 6), "accuracy_m": 10,
            "device_at": start + timedelta(seconds=rng.randrange(span)),
            "server_at": now, "late": False, "status": "verified",
            "impossible_speed": False, "clock_skew": False,
        } for _ in range(first, min(first + BATCH, rows))])
        db.session.commit()
    return user_ids


def _median_ms(action) -> float:
    return figures.median(figures.samples_ms(action, REPEATS))


def _stamping_technicians(rows: int, technicians: int) -> list[int]:
    """The technicians of the stamps already there, else of the stamps written here."""
    if db.session.scalar(select(func.count(TicketStamp.id))):
        return list(db.session.scalars(select(TicketStamp.technician_id).distinct()
                                       .order_by(TicketStamp.technician_id)))
    return _fill(rows, technicians)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--technicians", type=int, default=5000)
    args = parser.parse_args()
    url = os.environ.get("AFTERSALES_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        user_ids = _stamping_technicians(args.rows, args.technicians)
        print(f"{db.engine.dialect.name}: "
              f"{db.session.scalar(select(func.count(TicketStamp.id))):,} stamps over "
              f"{len(user_ids):,} technicians, ready in {time.perf_counter() - started:.0f}s")
        for board in (user_ids[:50], user_ids):
            ids = ",".join(str(i) for i in board)
            ours = _median_ms(lambda board=board: stamps.last_positions(db.session, board))
            floor = _median_ms(lambda ids=ids: db.session.execute(
                text(FLOOR.format(ids=ids))).all())
            window = _median_ms(lambda ids=ids: db.session.execute(
                text(WINDOW.format(ids=ids))).all())
            print(f"  last_positions for {len(board):,} technicians: {ours:.1f} ms "
                  f"(plain SQL floor {floor:.1f} ms, window function {window:.1f} ms)")
            figures.report("stamps.last_positions_board" if len(board) <= 50
                           else "stamps.last_positions_all", ours, floor,
                           goal="ratio<=1.5", unit="ms")


if __name__ == "__main__":
    main()
