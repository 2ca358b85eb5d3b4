"""Benchmark: what the audit trail costs, next to plain-SQL floors measured in the same run.

    .venv/bin/python -m tests.bench.bench_audit [--rows 20000]

Uses AFTERSALES_DATABASE_URL if set, else a temporary SQLite file. A database that already
holds audit entries is only read: its trail is verified as it is, and the inserts (and their
figure) are skipped. Prints figures; asserts nothing (timings are not tests).
"""

import argparse
import hashlib
import os
import tempfile
import time
import tracemalloc

from flask_migrate import upgrade
from sqlalchemy import func, insert, inspect, select

from aftersales import create_app
from aftersales.core import audit
from aftersales.core.audit import hash_input, hashed_rows, verify_chain
from aftersales.core.models import AuditEntry
from aftersales.customers.models import Customer
from aftersales.extensions import db
from tests.bench import figures

BATCH = 500
HASH_BATCH = 20000


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


def hashing_alone() -> tuple[float, float]:
    """(megabytes, seconds) of hashlib.sha256 over exactly the bytes verify hashes, one
    string per entry: read a batch into memory, time hashing only it (best of three), so
    memory stays flat at millions of entries."""
    megabytes = seconds = 0.0
    batch = []
    for row in hashed_rows(db.session, None, HASH_BATCH):
        batch.append(hash_input(tuple(row)[:-1]))
        if len(batch) == HASH_BATCH:
            megabytes, seconds = _hashed(batch, megabytes, seconds)
            batch = []
    return _hashed(batch, megabytes, seconds)


def _hashed(payloads: list[bytes], megabytes: float, seconds: float) -> tuple[float, float]:
    def hash_all():
        for payload in payloads:
            hashlib.sha256(payload).hexdigest()

    return (megabytes + sum(map(len, payloads)) / 1e6,
            seconds + min(timed(hash_all) for _ in range(3)))


def python_walk() -> tuple[int, audit.ChainBreak | None]:
    """verify as SQLite runs it (every row hashed in Python), on this database."""
    original = audit._walk_in_database
    audit._walk_in_database = lambda session, last_id, chain_end: audit._walk_in_python(
        session, last_id, 2000, chain_end)
    try:
        return verify_chain(db.session)
    finally:
        audit._walk_in_database = original


def inserts(rows: int) -> None:
    audited = timed(lambda: audited_inserts(rows))
    floor = timed(lambda: plain_inserts(rows))
    print(f"{db.engine.dialect.name}, {rows} customer inserts in batches of {BATCH}:")
    print(f"  ORM + audit entry each: {audited:.2f}s ({rows / audited:,.0f}/s)")
    print(f"  plain Core executemany (floor): {floor:.2f}s ({rows / floor:,.0f}/s)")
    print(f"  ratio: {audited / floor:.1f}x the floor")
    figures.report("audit.insert", audited * 1000, floor * 1000, goal="ratio<=1.5", unit="ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    rows = parser.parse_args().rows
    url = os.environ.get("AFTERSALES_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        held = inspect(db.engine).has_table(AuditEntry.__tablename__) and db.session.scalar(
            select(func.count()).select_from(AuditEntry))
        if held:  # measured as it is, even at a schema revision this checkout does not know
            print(f"{db.engine.dialect.name}: {held:,} audit entries already there, only read")
        else:
            upgrade()
            inserts(rows)
        verify()


def verify() -> None:
    scanned = timed(plain_scan)
    verify_seconds = min(timed(lambda: verify_chain(db.session)) for _ in range(3))
    # Memory is traced in a run of its own: tracing slows every allocation several times.
    tracemalloc.start()
    verify_chain(db.session)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    checked, chain_break = verify_chain(db.session)
    megabytes, hashing = hashing_alone()
    print(f"audit verify over {checked:,} entries, {megabytes:.1f} MB hashed"
          f" (intact: {chain_break is None}):")
    print(f"  verify: {verify_seconds:.2f}s ({checked / verify_seconds:,.0f} entries/s,"
          f" {megabytes / verify_seconds:.0f} MB/s), peak Python memory {peak / 1e6:.1f} MB")
    if db.engine.dialect.name == "postgresql":
        walked = timed(python_walk)
        print(f"  the same verify hashing every row in Python, as on SQLite: {walked:.2f}s"
              f" ({megabytes / walked:.0f} MB/s)")
    print(f"  plain streamed SELECT of the same rows: {scanned:.2f}s"
          f" ({verify_seconds / scanned:.1f}x)")
    print(f"  hashlib sha256 over the same bytes alone (floor): {hashing:.2f}s"
          f" ({megabytes / hashing:.0f} MB/s)")
    figures.report("audit.verify_throughput", megabytes / verify_seconds, megabytes / hashing,
                   goal="ratio>=0.5", unit="MB/s")

if __name__ == "__main__":
    main()
