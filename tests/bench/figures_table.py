"""The figures table at the top of docs/benchmarks.md, produced from a benchmark run's log
(`make bench-scale` writes build/bench/<date>.log):

    .venv/bin/python -m tests.bench.figures_table build/bench/2026-12-04.log

Rewrites what stands between the two marker comments with one row per `figure:` line of
the log (the last one of each name), and the date and machine the log was measured on.
"""

import argparse
import os
import platform
import re
import subprocess
from datetime import date
from pathlib import Path

from tests.bench import figures

DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
BEGIN = "<!-- figures: produced by tests/bench/figures_table.py -->"
END = "<!-- end of figures -->"
MET = {True: "yes", False: "**no**", None: "—"}


def table(lines: list[str], measured_on: str, machine: str) -> str:
    found = {}
    for line in lines:
        figure = figures.parse(line)
        if figure is not None:
            found[figure.name] = figure
    rows = [f"Measured {measured_on} on {machine}.", "",
            "| figure | measured | floor | ratio | goal | met | unit |",
            "|---|---|---|---|---|---|---|"]
    for figure in found.values():
        fields = dict(part.split("=", 1) for part in figure.line().split()[2:])
        rows.append(f"| {figure.name} | {fields['measured']} | {fields['floor']} | "
                    f"{fields['ratio']} | {figure.goal} | {MET[figure.met]} | {figure.unit} |")
    return "\n".join(rows)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    return (f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1048576:.0f} GB RAM, "
            f"{postgresql_version()}")


def postgresql_version() -> str:
    url = os.environ.get("AFTERSALES_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return "SQLite"
    psql = subprocess.run(["psql", url.replace("+psycopg", ""), "-Atc", "SHOW server_version"],  # noqa: S603, S607
                          capture_output=True, text=True, check=False)
    return f"PostgreSQL {psql.stdout.strip() or '(version not read)'}"


def rewrite(document: str, produced: str) -> str:
    if BEGIN not in document or END not in document:
        raise SystemExit(f"{DOCS} has no {BEGIN} … {END} markers")
    before, rest = document.split(BEGIN, 1)
    _old, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n{produced}\n{END}{after}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("log", type=Path)
    log = parser.parse_args().log
    measured_on = date.fromtimestamp(log.stat().st_mtime).isoformat()
    produced = table(log.read_text().splitlines(), measured_on, machine())
    DOCS.write_text(rewrite(DOCS.read_text(), produced))
    print(produced)


if __name__ == "__main__":
    main()
