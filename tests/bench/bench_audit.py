"""Benchmark: what the audit trail costs, next to plain-SQL floors measured in the same run.

    .venv/bin/python -m tests.bench.bench_audit [--rows 20000]

Uses AFTERSALES_DATABASE_URL if set (a database it may fill), else a temporary SQLite file.
Prints figures; asserts nothing (timings are not tests).
"""

import argparse
import os
import tempfile
import time
import tracemalloc

from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from aftersales import create_app
from aftersales.core.audit import verify_chain
from aftersales.core.models import AuditEntry
from aftersales.customers.models import Customer
from aftersales.extensions import db

BATCH = 500


def customer_rows(count: int, offset: int = 0) -> list[dict]:
    return [
        {"kind": "person", "name": f"基准{offset + n}", "phone": f"139{offset + n:08d}",
         "province": "北京市", "city": "北京市", "address": "朝阳区建国路88号"}
        for n in range(count)
    ]


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def audited_inserts(rows: int) -> None:
    for start in range(0, rows, BATCH):
        db.session.add_all(Customer(**row) for row in customer_rows(BATCH, start))
        db.session.commit()


def plain_inserts(rows: int) -> None:
    for start in range(0, rows, BATCH):
        db.session.execute(insert(Customer.__table__), customer_rows(BATCH, rows + start))
        db.session.commit()


def plain_scan() -> int:
    result = db.session.execute(
        select(AuditEntry.__table__), execution_options={"yield_per": 2000}
    )
    return sum(1 for _row in result)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    rows = parser.parse_args().rows
    url = os.environ.get("AFTERSALES_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.session.execute(text("SELECT 1"))
        audited = timed(lambda: audited_inserts(rows))
        floor = timed(lambda: plain_inserts(rows))
        print(f"{db.engine.dialect.name}, {rows} customer inserts in batches of {BATCH}:")
        print(f"  ORM + audit entry each: {audited:.2f}s ({rows / audited:,.0f}/s)")
        print(f"  plain Core executemany (floor): {floor:.2f}s ({rows / floor:,.0f}/s)")
        print(f"  ratio: {audited / floor:.1f}x the floor")

        scanned = timed(plain_scan)
        tracemalloc.start()
        verify_seconds = timed(lambda: verify_chain(db.session))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        checked, chain_break = verify_chain(db.session)
        print(f"audit verify over {checked} entries (intact: {chain_break is None}):")
        print(f"  verify: {verify_seconds:.2f}s ({checked / verify_seconds:,.0f} entries/s),"
              f" peak Python memory {peak / 1e6:.1f} MB")
        print(f"  plain streamed SELECT of the same rows (floor): {scanned:.2f}s")
        print(f"  ratio: {verify_seconds / scanned:.1f}x the floor")


if __name__ == "__main__":
    main()
