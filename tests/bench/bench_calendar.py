"""Benchmark: entering a closure that touches every running work order (the clocks
recomputed, each change audited) and the due-time maths itself, next to floors measured in
the same run: one plain-SQL UPDATE of the same rows, and adding a timedelta.

    .venv/bin/python -m tests.bench.bench_calendar [--running 20000]

Uses AFTERSALES_DATABASE_URL if set (a database it may fill), else a temporary SQLite file.
Rows are written with Core inserts (the services are tested elsewhere). Prints figures only.
"""

import argparse
import os
import tempfile
import time
from datetime import date, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from aftersales import create_app
from aftersales.calendar import services
from aftersales.core.clock import DEFAULT_ZONE
from aftersales.customers.models import Customer
from aftersales.extensions import db
from aftersales.tickets.models import Ticket

BATCH = 5000
# Received over the first ten days of March 2026; a closure on 11 March touches them all.
FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=DEFAULT_ZONE)
CLOSED = date(2026, 3, 11)


def fill(count: int) -> None:
    db.session.execute(insert(Customer.__table__), [{
        "kind": "person", "name": "基准", "phone": "13900000000", "province": "北京市",
        "city": "北京市", "address": "朝阳区"}])
    customer = db.session.scalar(select(Customer.id))
    calendar = services.calendar_for(db.session)
    for start in range(0, count, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, count)):
            received = FIRST + timedelta(minutes=(n * 7) % (8 * 24 * 60))
            rows.append({
                "id": n + 1, "type": "repair", "priority": "normal", "state": "assigned",
                "customer_id": customer, "description": "基准", "service_address": "朝阳区",
                "warranty_status": "unknown", "received_at": received, "created_at": received,
                "response_due_at": calendar.add(received, timedelta(hours=4)),
                "resolution_due_at": calendar.add(received, timedelta(hours=22.5)),
                "calendar_guessed": False,
            })
        db.session.execute(insert(Ticket.__table__), rows)
    db.session.commit()


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--running", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("AFTERSALES_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            fill(args.running)
            floor = timed(lambda: (db.session.execute(text(
                "UPDATE tickets SET resolution_due_at = resolution_due_at")),
                db.session.rollback()))
            recomputed = []
            seconds = timed(lambda: (recomputed.append(services.replace_year(
                db.session, 2026, [services.DayEntry(CLOSED, "closure", "盘点停业")])),
                db.session.commit()))
            calendar = services.calendar_for(db.session)
            sums = 10000
            maths = timed(lambda: [calendar.add(FIRST, timedelta(hours=22.5))
                                   for _ in range(sums)])
            plain = timed(lambda: [FIRST + timedelta(hours=22.5) for _ in range(sums)])
    print(f"database: {url.split(':')[0]}")
    print(f"closure entered: {recomputed[0]} running work orders recomputed and audited in "
          f"{seconds:.2f} s ({seconds / max(recomputed[0], 1) * 1000:.2f} ms each); "
          f"floor, one plain UPDATE of the same rows: {floor:.3f} s")
    print(f"due time of 22.5 business hours: {maths / sums * 1e6:.1f} µs each; "
          f"floor, adding a timedelta: {plain / sums * 1e6:.2f} µs")


if __name__ == "__main__":
    main()
