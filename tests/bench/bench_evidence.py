"""Benchmark: a full recompute of every clause next to the same aggregates as plain SQL,
measured in the same run on the same data.

    .venv/bin/python -m tests.bench.bench_evidence [--scale 10] [--runs 5]

Measures AFTERSALES_DATABASE_URL's data as it is when it holds some (the full-size data of
`python -m tests.bench.generate`); an empty database, or none (a temporary SQLite file), gets
`aftersales demo load --scale N` first. Ends with figure lines; asserts nothing.
The plain-SQL floor runs the providers' heavy aggregates, each written as plainly as it
can be (one statement each, the typed SLA rates folded into one GROUP BY); the engine
also evaluates the light ones, documents and attestations, and writes the snapshot. The
records behind each figure are fetched when a clause is opened, not here.
"""

import argparse
import os
import statistics
import tempfile
import time

from flask_migrate import upgrade
from sqlalchemy import bindparam, event, func, select, text

from aftersales import create_app
from aftersales import demo as demo_data
from aftersales.core.types import UTCDateTime
from aftersales.evidence.compliance import engine, registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.bench import figures

FLOOR = [
    "SELECT count(*), count(CASE WHEN response_met THEN 1 END) FROM tickets "
    "WHERE received_at >= :start AND received_at < :end AND response_met IS NOT NULL",
    "SELECT type, count(*), count(CASE WHEN resolution_met THEN 1 END) FROM tickets "
    "WHERE resolved_at >= :start AND resolved_at < :end AND resolution_met IS NOT NULL "
    "GROUP BY type",
    "SELECT count(*), count(CASE WHEN arrival_met THEN 1 END) FROM tickets "
    "WHERE received_at >= :start AND received_at < :end AND arrival_met IS NOT NULL "
    "AND priority = 'emergency'",
    "SELECT count(*), count(s.ticket_id) FROM tickets t "
    "LEFT JOIN ticket_signoffs s ON s.ticket_id = t.id "
    "WHERE t.resolved_at >= :start AND t.resolved_at < :end "
    "AND t.state IN ('resolved', 'closed')",
    "SELECT count(*), count(CASE WHEN accepted IS NOT NULL AND accepted <= first_used "
    "THEN 1 END) FROM (SELECT t.id, t.quote_accepted_at AS accepted, "
    "min(p.used_at) AS first_used FROM tickets t JOIN ticket_parts p ON p.ticket_id = t.id "
    "WHERE t.resolved_at >= :start AND t.resolved_at < :end "
    "AND t.state IN ('resolved', 'closed') AND p.charged GROUP BY t.id, t.quote_accepted_at) q",
    "SELECT count(*), count(CASE WHEN EXISTS (SELECT 1 FROM ticket_parts p "
    "WHERE p.ticket_id = t.id AND p.charged) THEN 1 END) FROM tickets t "
    "WHERE t.resolved_at >= :start AND t.resolved_at < :end "
    "AND t.state IN ('resolved', 'closed') AND t.warranty_status = 'in_warranty'",
    "SELECT count(CASE WHEN within_hotline_hours THEN 1 END), "
    "count(CASE WHEN within_hotline_hours AND answered_at IS NOT NULL THEN 1 END) "
    "FROM calls WHERE direction = 'inbound' AND queued_at >= :start AND queued_at < :end",
    "SELECT count(*), count(reached) FROM (SELECT c.id, (SELECT min(l.answered_at) "
    "FROM calls l WHERE l.direction = 'outbound' AND l.answered_at IS NOT NULL "
    "AND (l.callback_of_id = c.id OR (l.caller_number = c.caller_number "
    "AND l.queued_at > c.queued_at))) AS reached FROM calls c "
    "WHERE c.direction = 'inbound' AND c.queued_at >= :start AND c.queued_at < :end "
    "AND c.answered_at IS NULL) m",
    "SELECT t.outlet_id, count(t.id), count(v.id), count(v.satisfaction), "
    "sum(v.satisfaction), count(v.follow_up_ticket_id) FROM tickets t "
    "LEFT JOIN return_visits v ON v.ticket_id = t.id WHERE t.state = 'closed' "
    "AND t.closed_at >= :start AND t.closed_at < :end GROUP BY t.outlet_id",
    "SELECT count(*), count(CASE WHEN t.warranty_status = 'in_warranty' AND NOT EXISTS "
    "(SELECT 1 FROM ticket_parts p WHERE p.ticket_id = t.id AND p.charged) THEN 1 END) "
    "FROM tickets t LEFT JOIN serial_numbers s ON s.id = t.serial_id "
    "WHERE t.resolved_at >= :start AND t.resolved_at < :end "
    "AND t.state IN ('resolved', 'closed') AND (s.warranty_expires_on >= :first "
    "OR t.warranty_status = 'in_warranty')",
    "SELECT count(*), count(CASE WHEN EXISTS (SELECT 1 FROM loaner_loans l "
    "WHERE l.ticket_id = t.id) THEN 1 END) FROM tickets t WHERE t.type = 'repair' "
    "AND ((t.resolved_at >= :start AND t.resolved_at < :end "
    "AND t.state IN ('resolved', 'closed') AND NOT t.resolution_met) "
    "OR (t.state NOT IN ('resolved', 'closed', 'cancelled') AND t.received_at < :end))",
    "SELECT category, outlet_id, count(*), count(satisfaction) FROM complaints "
    "WHERE received_at >= :start AND received_at < :end GROUP BY category, outlet_id",
    "SELECT count(*), count(r.stopped_at) FROM complaints c JOIN complaint_clocks r "
    "ON r.complaint_id = c.id AND r.cycle = 1 AND r.kind = 'response' "
    "WHERE c.received_at >= :start AND c.received_at < :end",
    "SELECT province, city, count(*) FROM customers GROUP BY province, city",
    "SELECT count(*) FROM evidence_improvement_actions WHERE due_on >= :first "
    "AND due_on <= :last AND status <> 'cancelled'",
    "SELECT count(*) FROM evidence_special_items WHERE raised_on >= :first "
    "AND raised_on <= :last",
]


def plain_sql(period: Period) -> None:
    params = {"start": period.start, "end": period.end, "first": period.first_day,
              "last": period.last_day}
    for sql in FLOOR:
        statement = text(sql)
        if ":start" in sql:
            statement = statement.bindparams(
                bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())
            )
        db.session.execute(statement, {k: v for k, v in params.items() if f":{k}" in sql}).all()


def statement_count(now) -> int:
    """Statements one full recompute sends (the floor sends one per aggregate)."""
    sent = []

    def listener(*_args):
        sent.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        engine.compute(db.session, now, kind="full")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
        db.session.rollback()
    return len(sent)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("AFTERSALES_DATABASE_URL")
    scratch = None
    if not url:
        scratch = tempfile.TemporaryDirectory()
        url = f"sqlite:///{scratch.name}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": ":memory:"})
    with app.app_context():
        upgrade()
        if demo_data.database_is_empty(db.session):
            loading = timed(lambda: demo_data.load(db.session, args.scale))
            db.session.commit()
            print(f"demo --scale {args.scale} loaded in {loading:.0f} s")
        tickets = db.session.scalar(select(func.count()).select_from(Ticket))
        calls = db.session.scalar(text("SELECT count(*) FROM calls"))
        print(f"{db.engine.dialect.name}: {tickets} work orders, {calls} calls")
        now = None
        engine_runs, floor_runs = [], []
        for _ in range(args.runs):
            snapshot = None

            def recompute():
                nonlocal snapshot
                snapshot = engine.compute(db.session, now, kind="full")

            engine_runs.append(timed(recompute))
            db.session.rollback()  # keep the database as loaded
            period = Period(snapshot.period_from, snapshot.period_to)
            floor_runs.append(timed(lambda period=period: plain_sql(period)))
        full, floor = statistics.median(engine_runs), statistics.median(floor_runs)
        print(f"full recompute (50 clauses, {len(FLOOR)}+ aggregates, snapshot) and the "
              f"same aggregates as plain SQL, medians of {args.runs}")
        figures.report("evidence.full_recompute", full * 1000, floor * 1000,
                       goal="ratio<=1.5", unit="ms")
        # One aggregate per metric is the floor: fewer would fold metrics together, more
        # would be a query per record (or per id list) creeping back.
        figures.report("evidence.recompute_statements", statement_count(now),
                       len(registry.registered()), goal="ratio<=1.5", unit="statements")


if __name__ == "__main__":
    main()
