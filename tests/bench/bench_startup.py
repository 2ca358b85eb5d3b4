"""Benchmark: a fresh process from exec to the first 200 of the sign-in page through the
WSGI app, next to a bare Flask app's first 200 rendered from a template in the same run.

    .venv/bin/python -m tests.bench.bench_startup [--runs 7]

Each start is a new interpreter (bytecode caches written and used, as a server's workers
would find them); the median of the runs after a warm-up is reported. Prints figures;
asserts nothing.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from tests.bench import figures

APP = """
from aftersales import create_app
client = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///%s"}).test_client()
assert client.get("/login").status_code == 200
import time; print(time.time())
"""
BARE = """
from flask import Flask, render_template_string
app = Flask("bare")
app.add_url_rule("/login", "login", lambda: render_template_string("<p>{{ 1 + 1 }}</p>"))
assert app.test_client().get("/login").status_code == 200
import time; print(time.time())
"""
# Loaded by both: what any Flask app pays, not a cost of ours.
SHARED = "import flask, sqlalchemy\n"
HEAVY = ("reportlab.platypus", "openpyxl", "cryptography.hazmat.primitives.serialization")


def first_200_ms(script: str) -> float:
    """From exec to the moment the child has its 200 (it prints the time): the
    interpreter's exit, after the answer, is not start-up."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
    start = time.time()
    answered = subprocess.run([sys.executable, "-c", script], check=True, env=environment,  # noqa: S603
                              capture_output=True, text=True).stdout.split()[-1]
    return (float(answered) - start) * 1000


def heavy_modules_loaded(database: str) -> list[str]:
    probe = APP % database + f"import sys\nprint(*[m for m in {HEAVY!r} if m in sys.modules])"
    return subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,  # noqa: S603
                          text=True).stdout.splitlines()[-1].split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        database = f"{scratch}/start.db"
        app, bare = APP % database, SHARED + BARE
        first_200_ms(app), first_200_ms(bare)  # warm-up: bytecode written, files cached
        ours = [first_200_ms(app) for _ in range(runs)]
        floor = [first_200_ms(bare) for _ in range(runs)]
        print(f"loaded at start: {heavy_modules_loaded(database) or 'none of'} {HEAVY}")
    print(f"aftersales: median {figures.median(ours):.0f} ms of {runs} fresh processes; "
          f"bare Flask: {figures.median(floor):.0f} ms")
    figures.report("startup.first_200", figures.median(ours), figures.median(floor),
                   goal="ratio<=2", unit="ms")


if __name__ == "__main__":
    main()
