"""Benchmark: what the audit trail costs, next to plain-SQL floors measured in the same run.

    .venv/bin/python -m tests.bench.bench_audit [--rows 20000]

Uses AFTERSALES_DATABASE_URL if set (a database it may fill), else a temporary SQLite file.
Prints figures; asserts nothing (timings are not tests).
"""

import argparse
import hashlib
import os
import tempfile
import time
import tracemalloc

from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from aftersales import create_app
from aftersales.core.audit import hash_input, hashed_rows, verify_chain
from aftersales.core.models import AuditEntry
from aftersales.customers.models import Customer
from aftersales.extensions import db
from tests.bench import figures

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


def hashed_bytes() -> list[bytes]:
    """Exactly the bytes verify hashes, one string per entry, in memory."""
    return [hash_input(tuple(row)[:-1]) for row in hashed_rows(db.session, None, 2000)]


def hash_alone(payloads: list[bytes]) -> None:
    for payload in payloads:
        hashlib.sha256(payload).hexdigest()


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
        verify_seconds = min(timed(lambda: verify_chain(db.session)) for _ in range(3))
        # Memory is traced in a run of its own: tracing slows every allocation several times.
        tracemalloc.start()
        verify_chain(db.session)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        checked, chain_break = verify_chain(db.session)
        print(f"audit verify over {checked} entries (intact: {chain_break is None}):")
        print(f"  verify: {verify_seconds:.2f}s ({checked / verify_seconds:,.0f} entries/s),"
              f" peak Python memory {peak / 1e6:.1f} MB")
        print(f"  plain streamed SELECT of the same rows (floor): {scanned:.2f}s")
        print(f"  ratio: {verify_seconds / scanned:.1f}x the floor")
        payloads = hashed_bytes()
        megabytes = sum(map(len, payloads)) / 1e6
        hashing = min(timed(lambda: hash_alone(payloads)) for _ in range(3))
        print(f"  hashlib sha256 over the same {megabytes:.1f} MB alone (floor): {hashing:.3f}s")
        figures.report("audit.insert", audited * 1000, floor * 1000, goal="ratio<=1.5",
                       unit="ms")
        figures.report("audit.verify_throughput", megabytes / verify_seconds,
                       megabytes / hashing, goal="ratio>=0.5", unit="MB/s")


if __name__ == "__main__":
    main()
