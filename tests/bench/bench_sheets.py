"""Benchmark: drawing the evidence package's record sheets (core/pdf.py), one process, next
to a floor measured in the same run on the same data.

    .venv/bin/python -m tests.bench.bench_sheets [--sheets 500] [--period ID]

Reads the frozen data of up to N sheets of each sampled kind (work orders, complaints,
training sessions; the first N by record id) of one frozen period — the one holding the most
sheets unless told — from AFTERSALES_DATABASE_URL, read only. A database without a frozen
period (or no AFTERSALES_DATABASE_URL: a temporary SQLite file) is filled as bench_package
fills it: `demo load --scale N` and a freeze of the last 365 days. Draws each kind's sheets
in this process as an export's worker does (`kind.sheet_pdf(json.loads(data_json))`) and
prints sheets a second per kind.

The floor puts the same glyphs on pages with no layout: every text of the sheet drawn with
one `canvas.drawString` a line (a new page every 60 lines), same font and size, no
measuring, wrapping, tables or styles; what reportlab costs for the text itself. Ends with
the `package.sheet_draw` figure (tests/bench/figures.py), CPU milliseconds of a sheet over
all kinds; its goal is the issue's: a full-size year's ~95,000 sheets in 10 minutes on two
cores is 12.6 ms a sheet a core. Asserts nothing.
"""

import argparse
import io
import json
import os
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from aftersales import create_app
from aftersales import demo as demo_data
from aftersales.core.pdf import FONT
from aftersales.evidence.compliance import registry
from aftersales.evidence.models import FrozenSheet
from aftersales.extensions import db
from tests.bench import figures
from tests.bench.bench_package import frozen

LINES_A_PAGE = 60


def texts(data: dict) -> list[str]:
    """Every text a sheet prints, one line each, in block order."""
    found = [data["title"]]
    for block in data["blocks"]:
        for key in ("title", "subtitle", "heading", "text"):
            if key in block:
                found.append(block[key])
        for label, value in block.get("facts", ()):
            found += [label, value]
        listing = block.get("listing")
        if listing:
            found += listing["header"]
            found += [value for row in listing["rows"] for value in row]
    found.append(data["as_of"])
    return found


def floor_pdf(data: dict) -> bytes:
    """The sheet's texts as glyphs on A4 pages, no layout."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont(FONT, 9)
    for number, line in enumerate(texts(data)):
        if number and number % LINES_A_PAGE == 0:
            canvas.showPage()
            canvas.setFont(FONT, 9)
        canvas.drawString(40, 800 - 12 * (number % LINES_A_PAGE), line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def cpu_seconds(draw, datas: list[dict]) -> float:
    start = time.process_time()
    for data in datas:
        draw(data)
    return time.process_time() - start


def period_with_most_sheets() -> int | None:
    return db.session.execute(
        select(FrozenSheet.period_id).group_by(FrozenSheet.period_id)
        .order_by(func.count().desc()).limit(1)
    ).scalar()


def sheet_datas(period_id: int, record_type: str, limit: int) -> list[str]:
    return list(db.session.execute(
        select(FrozenSheet.data_json)
        .where(FrozenSheet.period_id == period_id, FrozenSheet.record_type == record_type)
        .order_by(FrozenSheet.record_id).limit(limit)
    ).scalars())


def filled_period(scale: int) -> int:
    """A frozen period of the database as it is, or of the demo data loaded into it."""
    period_id = period_with_most_sheets()
    if period_id is not None:
        return period_id
    upgrade()
    if demo_data.database_is_empty(db.session):
        demo_data.load(db.session, scale)
        db.session.commit()
        print(f"demo --scale {scale} loaded")
    return frozen(365).id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheets", type=int, default=500, help="sheets of each kind")
    parser.add_argument("--period", type=int, help="the frozen period (default: most sheets)")
    parser.add_argument("--scale", type=int, default=1, help="demo scale for an empty database")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory()
    url = os.environ.get("AFTERSALES_DATABASE_URL") or f"sqlite:///{scratch.name}/bench.db"
    os.environ.setdefault("AFTERSALES_UPLOAD_DIR", str(Path(scratch.name) / "documents"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    drawn = floor_seconds = sheet_seconds = 0.0
    with app.app_context():
        period_id = args.period or filled_period(args.scale)
        print(f"{db.engine.dialect.name}: period {period_id}, up to {args.sheets} sheets a kind")
        for kind in registry.sampled_kinds():
            datas = [json.loads(data) for data in
                     sheet_datas(period_id, kind.record_type, args.sheets)]
            if not datas:
                continue
            kind.sheet_pdf(datas[0])  # reportlab and its fonts loaded before timing
            seconds = cpu_seconds(kind.sheet_pdf, datas)
            floor = cpu_seconds(floor_pdf, datas)
            print(f"{kind.record_type}: {len(datas)} sheets, {len(datas) / seconds:.1f} "
                  f"sheets/s ({1000 * seconds / len(datas):.1f} ms a sheet; floor "
                  f"{1000 * floor / len(datas):.1f} ms)")
            drawn += len(datas)
            sheet_seconds += seconds
            floor_seconds += floor
    if not drawn:
        raise SystemExit(f"period {period_id} holds no record sheets")
    figures.report("package.sheet_draw", 1000 * sheet_seconds / drawn,
                   1000 * floor_seconds / drawn, goal="measured<=12.6", unit="ms")


if __name__ == "__main__":
    main()
