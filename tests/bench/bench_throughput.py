"""Benchmark: opening work orders with 50 concurrent clients, next to a bare insert endpoint
on the same stack (gunicorn, the access gate, a token, one transaction per request,
PostgreSQL), measured in the same run.

    AFTERSALES_DATABASE_URL=postgresql+psycopg://… \
        .venv/bin/python -m tests.bench.bench_throughput [--clients 50] [--seconds 10]

The database must be one the benchmark may fill (it migrates it and adds what it needs).
The floor is `POST /bench/bare-insert`, added only to the benchmark's app: the same
sign-in by token and request boundary, then one INSERT of a small row and no logic. The
figure to watch is the ratio: what the work order's validation, outlet choice, SLA
clocks, timeline and audit trail cost against a request that does nothing. Ends with a
`figure:` line (tests/bench/figures.py): work orders per second against the floor's
requests per second; asserts nothing.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import closing

from flask import Blueprint
from flask_migrate import upgrade
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from aftersales import create_app
from aftersales.core.auth import requires
from aftersales.extensions import db
from tests.bench import figures

BENCH_ROWS = Table("bench_rows", MetaData(), Column("id", Integer, primary_key=True),
                   Column("note", String(40)))


def bench_app():
    """The application plus the floor's endpoint (gunicorn imports this)."""
    app = create_app()
    floor = Blueprint("bench", __name__)

    @floor.route("/bench/bare-insert", methods=["POST"])
    @requires("tickets.write")
    def bare_insert():
        db.session.execute(insert(BENCH_ROWS).values(note="floor"))
        return {"ok": True}, 201

    app.register_blueprint(floor)
    return app


def _prepare(clients: int) -> tuple[list[str], dict]:
    from tests.factories import home_outlet, make_customer, make_token, make_user

    upgrade()
    BENCH_ROWS.create(db.engine, checkfirst=True)
    outlet, customer = home_outlet(), make_customer(name="基准客户")
    agent = make_user("agent")
    tokens = [make_token(agent, name=f"client-{n}") for n in range(clients)]
    body = {"type": "repair", "priority": "normal", "customer_id": customer.id,
            "description": "空调不制冷", "outlet_id": outlet.id}
    return tokens, body


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "tests.bench.bench_throughput:bench_app()"], env=os.environ.copy())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with closing(socket.create_connection(("127.0.0.1", port), timeout=1)):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def _load(port: int, path: str, body: dict, tokens: list[str], seconds: float) -> dict:
    """Each client posts in a loop on its own keep-alive connection for `seconds`."""
    counts = {"ok": 0, "refused": 0, "server_error": 0}
    lock, payload = threading.Lock(), json.dumps(body)
    stop_at = time.monotonic() + seconds

    def client(token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        mine = {"ok": 0, "refused": 0, "server_error": 0}
        while time.monotonic() < stop_at:
            connection.request("POST", path, payload, headers)
            response = connection.getresponse()
            response.read()
            mine["ok" if response.status < 400 else
                 "server_error" if response.status >= 500 else "refused"] += 1
        connection.close()
        with lock:
            for key, value in mine.items():
                counts[key] += value

    threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts["per_second"] = counts["ok"] / (time.monotonic() - started)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    options = parser.parse_args()
    if not os.environ.get("AFTERSALES_DATABASE_URL", "").startswith("postgresql"):
        print("bench_throughput: skipped; set AFTERSALES_DATABASE_URL to a PostgreSQL "
              "database it may fill")
        return
    app = create_app()
    with app.app_context():
        tokens, body = _prepare(options.clients)
        db.engine.dispose()
    port = _free_port()
    server = _serve(port, options.workers, options.threads)
    try:
        _load(port, "/bench/bare-insert", {}, tokens, 2)  # warm up the workers and tokens
        floor = _load(port, "/bench/bare-insert", {}, tokens, options.seconds)
        orders = _load(port, "/api/v1/tickets", body, tokens, options.seconds)
    finally:
        server.terminate()
        server.wait()
    print(f"{options.clients} clients, {options.seconds:.0f} s each, gunicorn "
          f"{options.workers}×{options.threads}, PostgreSQL")
    print(f"  floor (bare insert)   {floor['per_second']:8.1f}/s  "
          f"refused {floor['refused']}, server errors {floor['server_error']}")
    print(f"  open a work order     {orders['per_second']:8.1f}/s  "
          f"refused {orders['refused']}, server errors {orders['server_error']}")
    figures.report("tickets.open_throughput", orders["per_second"], floor["per_second"],
                   goal="ratio>=0.5", unit="per_s")


if __name__ == "__main__":
    main()
