"""Benchmark: the escalation ladder's scan and the manager's board over many complaints,
next to a plain-SQL floor (one grouped COUNT over the same rows) measured in the same run.

    .venv/bin/python -m tests.bench.bench_complaints [--complaints 100000]

Uses AFTERSALES_DATABASE_URL if set (a database it may fill), else a temporary SQLite file.
Rows are written with Core inserts (the services are tested elsewhere). Prints figures only.
"""

import argparse
import os
import random
import tempfile
import time
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from aftersales import create_app
from aftersales.complaints import figures, jobs
from aftersales.complaints.models import Complaint, ComplaintClock
from aftersales.core.clock import utcnow
from aftersales.core.permissions import Scope
from aftersales.customers.models import Customer
from aftersales.extensions import db

BATCH = 5000
OPEN_SHARE = 0.02  # open complaints at any moment: the ladder's working set


def fill(count: int) -> None:
    rng = random.Random(5)
    db.session.execute(insert(Customer.__table__), [
        {"kind": "person", "name": f"基准{n}", "phone": f"139{n:08d}", "province": "北京市",
         "city": "北京市", "address": "朝阳区"} for n in range(1000)])
    customers = db.session.scalars(select(Customer.id)).all()
    now = utcnow()
    for start in range(0, count, BATCH):
        rows, clocks = [], []
        for n in range(start, min(start + BATCH, count)):
            received = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
            is_open = rng.random() < OPEN_SHARE
            answered = None if is_open else received + timedelta(hours=rng.uniform(1, 30))
            rows.append({
                "id": n + 1, "channel": "hotline", "category": "fees", "severity": "normal",
                "state": "received" if is_open else "closed", "calendar": "clock", "cycle": 1,
                "summary": "基准", "description": "基准", "customer_id": rng.choice(customers),
                "received_at": received, "entered_at": received, "compensation_fen": 0,
                "next_due_at": received + timedelta(hours=24) if is_open else None,
                "acknowledged_at": answered, "closed_at": None if is_open else answered,
            })
            for kind, target in (("response", 86400), ("resolution", 7 * 86400)):
                clocks.append({
                    "complaint_id": n + 1, "cycle": 1, "kind": kind, "calendar": "clock",
                    "started_at": received, "target_seconds": target,
                    "due_at": received + timedelta(seconds=target), "paused_seconds": 0,
                    "stopped_at": answered, "met": None if is_open else True,
                    "elapsed_seconds": None if is_open else 3600,
                    "variance_seconds": None if is_open else 3600 - target,
                })
        db.session.execute(insert(Complaint.__table__), rows)
        db.session.execute(insert(ComplaintClock.__table__), clocks)
        db.session.commit()


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    count = parser.parse_args().complaints
    url = os.environ.get("AFTERSALES_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        fill(count)
        now = utcnow()
        total = db.session.scalar(select(func.count(ComplaintClock.id)))
        floor, _rows = timed(lambda: db.session.execute(
            select(Complaint.category, func.count(Complaint.id))
            .where(Complaint.received_at >= now - timedelta(days=365))
            .group_by(Complaint.category)).all())
        scan, due = timed(lambda: jobs.due_steps(db.session, now))
        board_time, board = timed(lambda: figures.board(
            db.session, Scope(everywhere=True), now - timedelta(days=365), now, now))
        print(f"{db.engine.dialect.name}, {count:,} complaints ({total:,} clocks), "
              f"{OPEN_SHARE:.0%} open:")
        print(f"  ladder scan (due_steps): {scan * 1000:.0f} ms, {len(due):,} steps due")
        print(f"  board, a year in total + by category + by outlet: {board_time * 1000:.0f} ms "
              f"({board.total.received:,} complaints)")
        print(f"  plain grouped COUNT of the year's complaints (floor): {floor * 1000:.0f} ms")


if __name__ == "__main__":
    main()
