"""Benchmark: entering a closure that touches every running work order (the clocks
recomputed, each change audited) and the due-time maths itself, next to floors measured in
the same run: one plain-SQL UPDATE of the same rows, and adding a timedelta.

    .venv/bin/python -m tests.bench.bench_calendar [--running 20000]

Uses AFTERSALES_DATABASE_URL if set, else a temporary SQLite file. An empty database is
filled with `--running` work orders (Core inserts; the services are tested elsewhere); one
that holds work orders (the full-size data, docs/benchmarks.md) is measured as it is: the
closure falls on the day its newest running work order was received, and is rolled back.
Ends with one `figure:` line per figure (tests/bench/figures.py).
"""

import argparse
import os
import tempfile
from datetime import date, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, update

from aftersales import create_app
from aftersales.calendar import services
from aftersales.core.clock import DEFAULT_ZONE
from aftersales.customers.models import Customer
from aftersales.extensions import db
from aftersales.tickets.models import FINISHED_STATES, Ticket
from tests.bench import figures

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
    return figures.samples_ms(action, 1)[0] / 1000


def closure_day() -> tuple[date, bool]:
    """The day to close and whether the database was filled here (so the closure is kept)."""
    if not db.session.scalar(select(func.count(Ticket.id))):
        return CLOSED, True
    newest = db.session.scalar(select(func.max(Ticket.received_at))
                               .where(Ticket.state.not_in(FINISHED_STATES)))
    return newest.astimezone(DEFAULT_ZONE).date(), False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--running", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("AFTERSALES_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            day, filled = closure_day()
            if filled:
                fill(args.running)
            floor = timed(lambda: (db.session.execute(
                update(Ticket).where(Ticket.state.not_in(FINISHED_STATES))
                .values(resolution_due_at=Ticket.resolution_due_at)), db.session.rollback()))
            recomputed = []
            seconds = timed(lambda: (recomputed.append(services.replace_year(
                db.session, day.year, [services.DayEntry(day, "closure", "盘点停业")])),
                db.session.commit() if filled else db.session.rollback()))
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
    figures.report("calendar.closure_recompute", seconds * 1000, floor * 1000,
                   goal="ratio<=1.5", unit="ms")
    figures.report("calendar.due_time", maths / sums * 1e6, plain / sums * 1e6,
                   goal="ratio<=1.5", unit="us")


if __name__ == "__main__":
    main()
