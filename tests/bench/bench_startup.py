"""Benchmark: a fresh process from exec to the first 200 of the sign-in page through the
WSGI app, next to a bare Flask app's first 200 rendered from a template in the same run.

    .venv/bin/python -m tests.bench.bench_startup [--runs 7]

Each start is a new interpreter (bytecode caches written and used, as a server's workers
would find them); the median of the runs after a warm-up is reported, as the wall-clock time
and as the processor time the child used (user + system, from exec): the second hardly moves
when other work shares the machine. Prints figures; asserts nothing.
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
import os, time; print(sum(os.times()[:2]), time.time())
"""
BARE = """
from flask import Flask, render_template_string
app = Flask("bare")
app.add_url_rule("/login", "login", lambda: render_template_string("<p>{{ 1 + 1 }}</p>"))
assert app.test_client().get("/login").status_code == 200
import os, time; print(sum(os.times()[:2]), time.time())
"""
# Loaded by both: what any Flask app pays, not a cost of ours.
SHARED = "import flask, sqlalchemy\n"
HEAVY = ("reportlab.platypus", "openpyxl", "cryptography.hazmat.primitives.serialization",
         "alembic", "geopy", "PIL.Image", "segno")


def first_200_ms(script: str) -> tuple[float, float]:
    """From exec to the moment the child has its 200 (it prints the time), in wall-clock
    and processor time: the interpreter's exit, after the answer, is not start-up."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
    start = time.time()
    processor, answered = subprocess.run([sys.executable, "-c", script], check=True,  # noqa: S603
                                         env=environment, capture_output=True,
                                         text=True).stdout.split()[-2:]
    return (float(answered) - start) * 1000, float(processor) * 1000


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
        # Taken in turns, so a burst of other work on the machine falls on both alike.
        ours, floor = zip(*[(first_200_ms(app), first_200_ms(bare)) for _ in range(runs)],
                          strict=True)
        print(f"loaded at start: {heavy_modules_loaded(database) or 'none of'} {HEAVY}")
    for name, index in (("first_200", 0), ("first_200_cpu", 1)):
        mine = figures.median([run[index] for run in ours])
        bare = figures.median([run[index] for run in floor])
        print(f"{name}: aftersales median {mine:.0f} ms of {runs} fresh processes; "
              f"bare Flask {bare:.0f} ms")
        figures.report(f"startup.{name}", mine, bare, goal="ratio<=2", unit="ms")


if __name__ == "__main__":
    main()
