"""Benchmark: the work-order list at a million rows, next to the same query in plain SQL.

    .venv/bin/python -m tests.bench.bench_tickets [--rows 1000000]

Fills a temporary SQLite file (or AFTERSALES_DATABASE_URL, a database it may fill) with
work orders shaped like three years of one enterprise, then times the list as the page
and API call it (`tickets.services.list_tickets`: scoped, filtered, keyset) for a first and
a deep page, next to a hand-written SELECT of the same rows. A database that already holds
work orders is measured as it is. Then renders `/tickets` as a company-wide manager through
the test client (the page walk's `bench-manager`, created once): `tickets.list_page_p95`,
next to the bare keyset SELECT of the same page. Prints figures;
asserts nothing.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from aftersales import create_app
from aftersales.core.clock import utcnow
from aftersales.core.pagination import encode_cursor
from aftersales.core.permissions import Scope
from aftersales.customers.models import Customer
from aftersales.extensions import db
from aftersales.tickets import services
from aftersales.tickets.models import Ticket
from tests.bench import bench_pages, figures
from tests.factories import make_outlet

BATCH = 20_000
OUTLETS = 40
PAGE = 50
REPEATS = 15
PAGE_REQUESTS = 60
STATES = (("closed", 86), ("resolved", 3), ("new", 2), ("assigned", 2), ("dispatched", 2),
          ("on_site", 2), ("waiting_parts", 2), ("waiting_customer", 1))
TYPES = (("repair", 60), ("installation", 15), ("maintenance", 10), ("delivery", 6),
         ("return", 5), ("recycling", 4))


def _fill(rows: int) -> list[int]:
    db.session.execute(insert(Customer.__table__), [{
        "kind": "person", "name": "基准客户", "phone": "13900000000", "province": "北京市",
        "city": "北京市", "address": "朝阳区建国路88号"}])
    outlet_ids = [make_outlet(code=f"B-{n:03d}", commit=False).id for n in range(OUTLETS)]
    customer_id = db.session.scalar(select(Customer.id))
    rng = random.Random(1)
    states, state_weights = zip(*STATES, strict=True)
    types, type_weights = zip(*TYPES, strict=True)
    start = utcnow() - timedelta(days=3 * 365)
    for first in range(0, rows, BATCH):
        batch = []
        for n in range(first, min(first + BATCH, rows)):
            received = start + timedelta(minutes=n * 3 * 365 * 24 * 60 // rows)
            batch.append({
                "type": rng.choices(types, type_weights)[0], "priority": "normal",
                "state": rng.choices(states, state_weights)[0], "customer_id": customer_id,
                "outlet_id": rng.choice(outlet_ids), "description": "不制冷",
                "service_address": "朝阳区建国路88号", "warranty_status": "in_warranty",
                "received_at": received, "created_at": received,
                "response_due_at": received + timedelta(hours=4),
                "resolution_due_at": received + timedelta(days=2),
            })
        db.session.execute(insert(Ticket.__table__), batch)
        db.session.commit()
    return outlet_ids


def _median_ms(action) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _floor(where: str, params: dict, after: int | None) -> list:
    keyset = " AND id < :after" if after else ""
    sql = f"SELECT * FROM tickets WHERE {where}{keyset} ORDER BY id DESC LIMIT {PAGE + 1}"
    return db.session.execute(text(sql), {**params, "after": after}).all()


def _page_p95(app) -> None:
    """The list page as a manager's browser gets it, every layer included."""
    client = bench_pages.signed_in(app, bench_pages.walker("manager"))
    client.get("/tickets")  # templates compiled, translations loaded
    page = figures.samples_ms(lambda: client.get("/tickets"), PAGE_REQUESTS)
    floor = figures.samples_ms(lambda: _floor("1=1", {}, None), PAGE_REQUESTS)
    db.session.rollback()
    print(f"  /tickets page as a manager: median {figures.median(page):.1f} ms "
          f"of {PAGE_REQUESTS} requests")
    figures.report("tickets.list_page_p95", figures.p95(page), figures.p95(floor),
                   goal="measured<=100", unit="ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    url = os.environ.get("AFTERSALES_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        held = db.session.scalar(select(func.count()).select_from(Ticket))
        if held:
            rows = held
            outlets = list(db.session.scalars(select(Ticket.outlet_id).distinct().limit(OUTLETS)))
            print(f"{db.engine.dialect.name}: {rows:,} work orders already there, measured as"
                  f" they are; page of {PAGE}, median of {REPEATS}")
        else:
            filled = time.perf_counter()
            outlets = _fill(rows)
            print(f"{db.engine.dialect.name}: {rows:,} work orders filled in "
                  f"{time.perf_counter() - filled:.0f}s; page of {PAGE}, median of {REPEATS}")
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE tickets"))
        else:
            db.session.execute(text("ANALYZE"))
        db.session.commit()
        deep = rows // 2  # a cursor half-way down the list
        everywhere, two_outlets = Scope(everywhere=True), Scope(
            everywhere=False, outlet_ids=frozenset(outlets[:2]))
        now = utcnow()
        cases = (
            ("all", everywhere, services.TicketFilters(), "1=1", {}),
            ("state=waiting_parts", everywhere, services.TicketFilters(state="waiting_parts"),
             "state = :s", {"s": "waiting_parts"}),
            ("type=installation", everywhere, services.TicketFilters(type="installation"),
             "type = :t", {"t": "installation"}),
            ("outlet", everywhere, services.TicketFilters(outlet_id=outlets[3]),
             "outlet_id = :o", {"o": outlets[3]}),
            ("state=new & type=repair", everywhere,
             services.TicketFilters(state="new", type="repair"),
             "state = :s AND type = :t", {"s": "new", "t": "repair"}),
            ("overdue", everywhere, services.TicketFilters(overdue=True),
             "resolution_due_at < :now AND state NOT IN ('resolved','closed','cancelled',"
             "'waiting_parts','waiting_customer')", {"now": now}),
            ("scoped to 2 outlets", two_outlets, services.TicketFilters(),
             f"outlet_id IN ({outlets[0]}, {outlets[1]})", {}),
        )
        print(f"  {'list':<26}{'page 1 ms':>10}{'floor':>8}{'ratio':>7}"
              f"{'deep ms':>10}{'floor':>8}{'ratio':>7}")
        for name, scope, filters, where, params in cases:
            first = _median_ms(lambda s=scope, f=filters: services.list_tickets(
                db.session, s, f, None, PAGE))
            first_floor = _median_ms(lambda w=where, p=params: _floor(w, p, None))
            deep_ms = _median_ms(lambda s=scope, f=filters: services.list_tickets(
                db.session, s, f, encode_cursor(deep), PAGE))
            deep_floor = _median_ms(lambda w=where, p=params: _floor(w, p, deep))
            print(f"  {name:<26}{first:>10.2f}{first_floor:>8.2f}{first / first_floor:>7.1f}"
                  f"{deep_ms:>10.2f}{deep_floor:>8.2f}{deep_ms / deep_floor:>7.1f}")
            db.session.rollback()
        _page_p95(app)


if __name__ == "__main__":
    main()
