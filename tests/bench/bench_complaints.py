"""Benchmark: the escalation ladder's scan and the manager's board over many complaints,
each next to a plain-SQL floor measured in the same run on the same rows.

    .venv/bin/python -m tests.bench.bench_complaints [--complaints 100000] [--runs 7]

On AFTERSALES_DATABASE_URL if set: its complaints as they are when it holds some (the
full-size data), else it fills them; without it, a temporary SQLite file. Rows are written
with Core inserts (the services are tested elsewhere). The ladder's floor is the raw SQL
of the scan's own statements on the driver's cursor (what the database must do); the
board's, one COUNT of the year's complaints grouped as the board groups them (category
and outlet). Prints figures.
"""

import argparse
import os
import random
import tempfile
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from aftersales import create_app
from aftersales.complaints import figures, jobs, settings
from aftersales.complaints.models import CATEGORIES, Complaint, ComplaintClock
from aftersales.core.clock import utcnow
from aftersales.core.permissions import Scope
from aftersales.customers.models import Customer
from aftersales.extensions import db
from aftersales.outlets.models import Outlet
from tests.bench import figures as figures_
from tests.bench.generate import previous_received

BATCH = 5000
OUTLETS = 200  # the board's outlet breakdown: a row per outlet
OPEN_SHARE = 0.02  # open complaints at any moment: the ladder's working set


def fill(count: int) -> None:
    rng = random.Random(5)
    db.session.execute(insert(Customer.__table__), [
        {"kind": "person", "name": f"基准{n}", "phone": f"139{n:08d}", "province": "北京市",
         "city": "北京市", "address": "朝阳区"} for n in range(1000)])
    customers = db.session.scalars(select(Customer.id)).all()
    db.session.execute(insert(Outlet.__table__), [
        {"code": f"BJ{n:04d}", "name": f"基准网点{n}", "kind": "contracted", "province": "北京市",
         "city": "北京市", "region_code": "north", "province_code": "110000",
         "city_code": "110100", "address": "朝阳区", "latitude": 39.9, "longitude": 116.4}
        for n in range(OUTLETS)])
    outlets = db.session.scalars(select(Outlet.id)).all()
    now = utcnow()
    rows, clocks = [], []
    for n in range(count):
        received = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        is_open = rng.random() < OPEN_SHARE
        answered = None if is_open else received + timedelta(hours=rng.uniform(1, 30))
        rows.append({
            "id": n + 1, "channel": "hotline", "category": rng.choice(CATEGORIES),
            "severity": "normal", "outlet_id": rng.choice(outlets),
            "state": "received" if is_open else "closed", "calendar": "clock", "cycle": 1,
            "summary": "基准", "description": "基准", "customer_id": rng.choice(customers),
            "received_at": received, "entered_at": received, "compensation_fen": 0,
            "next_due_at": received + timedelta(hours=24) if is_open else None,
            "acknowledged_at": answered, "closed_at": None if is_open else answered,
            "first_response_met": None if is_open else True,
            "first_response_seconds": None if is_open else 3600,
            "resolution_met": None if is_open else True,
            "resolution_seconds": None if is_open else 3600,
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
    previous = previous_received((row["id"], row["customer_id"], row["received_at"])
                                 for row in rows)
    for row in rows:
        row["previous_received_at"] = previous.get(row["id"])
    for start in range(0, count, BATCH):
        db.session.execute(insert(Complaint.__table__), rows[start:start + BATCH])
        db.session.execute(insert(ComplaintClock.__table__), clocks[2 * start:2 * (start + BATCH)])
        db.session.commit()


def ladder_floor(now) -> None:
    """The scan's own statements as plain SQL on the driver's cursor: what the database
    must do, without the ORM, the calendars or the Python that decides."""
    cursor = db.session.connection().connection.cursor()
    for sql in ladder_sql(now):
        cursor.execute(sql)
        cursor.fetchall()


def ladder_sql(now) -> list[str]:
    dialect = db.engine.dialect
    return [str(jobs.candidates_statement(step, now).compile(
        dialect=dialect, compile_kwargs={"literal_binds": True}))
        for step in settings.current().ladder]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    count, runs = arguments.complaints, arguments.runs
    url = os.environ.get("AFTERSALES_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count(Complaint.id))):
            fill(count)
        now = utcnow()
        year = now - timedelta(days=365)
        total = db.session.scalar(select(func.count(ComplaintClock.id)))
        received = db.session.scalar(select(func.count(Complaint.id)))
        due = jobs.due_steps(db.session, now)
        scans = figures_.samples_ms(lambda: jobs.due_steps(db.session, now), runs)
        scan_floor = figures_.samples_ms(lambda: ladder_floor(now), runs)
        boards = figures_.samples_ms(lambda: figures.board(
            db.session, Scope(everywhere=True), year, now, now), runs)
        # The board breaks the year down by category and by outlet: the floor counts the
        # same groups (by category only, it left out 2,000 outlets' rows at full size).
        board_floor = figures_.samples_ms(lambda: db.session.execute(
            select(Complaint.category, Complaint.outlet_id, func.count(Complaint.id))
            .where(Complaint.received_at >= year)
            .group_by(Complaint.category, Complaint.outlet_id)).all(), runs)
        print(f"{db.engine.dialect.name}, {received:,} complaints ({total:,} clocks); "
              f"{len(due):,} ladder steps due; medians of {runs}")
        figures_.report("complaints.ladder_scan", figures_.median(scans),
                        figures_.median(scan_floor), goal="measured<=50", unit="ms")
        figures_.report("complaints.board", figures_.median(boards),
                        figures_.median(board_floor), goal="ratio<=3", unit="ms")

if __name__ == "__main__":
    main()
