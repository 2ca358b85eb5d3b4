"""Benchmark: exporting the evidence package of a year, its time and peak memory, next to
a bare floor measured in the same run on the same data.

    .venv/bin/python -m tests.bench.bench_package [--scale 10]

Loads `aftersales demo load --scale N` into AFTERSALES_DATABASE_URL if set (an empty
database it may fill), else into a temporary SQLite file, and freezes the last 365 days
(and the last 91, to show memory does not grow with the period). Each export runs as
`aftersales evidence export` in a child process that reports its own peak RSS (VmHWM).
The floor, in a child process too, writes the same metric records as CSV into a zip with
plain SQL and zipfile: no record sheets, no report, no hashing or signature. Ends with the
`figure:` lines of the year (tests/bench/figures.py); asserts nothing.
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select, text

from aftersales import create_app
from aftersales import demo as demo_data
from aftersales.core.audit import Actor
from aftersales.core.clock import local_today
from aftersales.evidence.audit import periods
from aftersales.evidence.compliance import registry
from aftersales.evidence.models import AuditPeriod, FrozenRecord
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.bench import figures


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def frozen(days: int):
    last_day = local_today() - timedelta(days=1)
    first_day = last_day - timedelta(days=days - 1)
    found = periods.find(db.session, first_day, last_day)
    if found is None:
        seconds, found = timed(lambda: periods.freeze(
            db.session, Actor(None, "bench"), first_day, last_day, seed=27922))
        db.session.commit()
        print(f"froze {first_day} to {last_day} in {seconds:.1f} s")
    return found


# Runs the CLI (or the floor) and reports the process's own peak RSS. VmHWM belongs to the
# process's memory after exec; getrusage/wait4 would also count the parent's pages it was
# forked with.
PEAK_AT_EXIT = """
import atexit, sys
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write("peak " + line.split()[1] + "\\n")
atexit.register(report)
"""
CLI = PEAK_AT_EXIT + """
from aftersales.cli import main
sys.argv = ["aftersales", *sys.argv[1:]]
main()
"""
FLOOR = PEAK_AT_EXIT + """
from tests.bench.bench_package import floor_in_app
floor_in_app(int(sys.argv[1]), sys.argv[2])
"""


def in_child(url: str, code: str, *args: str) -> tuple[float, int]:
    """Wall seconds and the child process's own peak RSS (KiB)."""
    env = {**os.environ, "AFTERSALES_DATABASE_URL": url}
    start = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", code, *args], env=env,  # noqa: S603
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           check=False)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {child.stderr}")
    peak = next(line for line in child.stderr.splitlines() if line.startswith("peak "))
    return seconds, int(peak.split()[1])


def export_in_child(url: str, period, out: Path) -> tuple[float, int]:
    return in_child(url, CLI, "evidence", "export", "--from", str(period.first_day),
                    "--to", str(period.last_day), "--out", str(out))


def floor_in_app(period_id: int, out: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["AFTERSALES_DATABASE_URL"]})
    with app.app_context():
        floor(db.session.get(AuditPeriod, period_id), Path(out))


def floor(period, out: Path) -> None:
    """The same records as they were frozen, CSV in a zip, by plain SQL and the standard
    library: each metric's record ids joined to the stored values of their rows."""
    keys = db.session.execute(
        select(FrozenRecord.provider_key).where(FrozenRecord.period_id == period.id).distinct()
    ).scalars().all()
    providers = registry.registered()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in keys:
            rows = db.session.execute(text(
                "SELECT f.record_id, r.values_json FROM evidence_frozen_records f "
                "LEFT JOIN evidence_frozen_rows r ON r.period_id = f.period_id "
                "AND r.record_type = :type AND r.record_id = f.record_id "
                "WHERE f.period_id = :period AND f.provider_key = :key ORDER BY f.record_id"),
                {"period": period.id, "key": key, "type": providers[key].record_type})
            with archive.open(f"{key}.csv", "w") as entry:
                handle = io.TextIOWrapper(entry, encoding="utf-8", newline="")
                writer = csv.writer(handle)
                writer.writerow(rows.keys())
                for batch in iter(lambda rows=rows: rows.fetchmany(2000), []):
                    writer.writerows(batch)
                handle.flush()
                handle.detach()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    url = os.environ.get("AFTERSALES_DATABASE_URL")
    scratch = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{scratch.name}/bench.db"
    files = Path(scratch.name)
    os.environ.setdefault("AFTERSALES_UPLOAD_DIR", str(files / "documents"))
    # Kept between runs: a database that holds packages refuses to sign with a new key.
    keys = Path("build/bench")
    keys.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AFTERSALES_EVIDENCE_SIGNING_KEY_FILE",
                          str(keys / "package-signing-key.pem"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        if demo_data.database_is_empty(db.session):
            loading, _ = timed(lambda: demo_data.load(db.session, args.scale))
            db.session.commit()
            print(f"demo --scale {args.scale} loaded in {loading:.0f} s")
        tickets = db.session.scalar(select(func.count()).select_from(Ticket))
        print(f"{db.engine.dialect.name}: {tickets} work orders")
        for days in (91, 365):
            period = frozen(days)
            records = db.session.scalar(select(func.count()).select_from(FrozenRecord).where(
                FrozenRecord.period_id == period.id))
            out = files / f"package-{days}.zip"
            seconds, peak = export_in_child(url, period, out)
            with zipfile.ZipFile(out) as archive:
                names = archive.namelist()
            sheets = sum(name.startswith("samples/") for name in names)
            floor_seconds, floor_peak = in_child(url, FLOOR, str(period.id),
                                                 str(files / f"floor-{days}.zip"))
            print(f"{days} days: {records} frozen metric records, {len(names)} files "
                  f"({sheets} record sheets), {out.stat().st_size / 1048576:.1f} MB; "
                  f"export {seconds:.1f} s, peak RSS {peak / 1024:.0f} MB; "
                  f"floor (CSV only, plain SQL + zipfile) {floor_seconds:.2f} s, "
                  f"peak RSS {floor_peak / 1024:.0f} MB")
    # The year's figures, from the last (365-day) run; each side a process of its own, so
    # both times include starting Python and the application.
    figures.report("package.year_export", seconds, floor_seconds, goal="measured<=30", unit="s")
    figures.report("package.peak_rss", peak / 1024, floor_peak / 1024, goal="ratio<=2",
                   unit="MB")
    figures.report("package.sheets_per_second", sheets / seconds, None, goal="measured>=25",
                   unit="sheets/s")

if __name__ == "__main__":
    main()
