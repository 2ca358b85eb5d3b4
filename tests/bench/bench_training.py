"""Benchmark: the live training figures at enterprise scale, next to plain-SQL floors.

    .venv/bin/python -m tests.bench.bench_training [--staff 5000]

Fills a temporary SQLite file (or AFTERSALES_DATABASE_URL, a database it may fill) with
`--staff` staff (a third of them technicians with two work types, a fifth counted as
service management), four certificates each on average, five qualification rules, and a
year of sessions with 40 trainees each (about 20 sessions per 1,000 staff a month), then
times each figure as the page and API compute it next to a plain COUNT over the same
table, and `missing_certificates` for one user. A database that already holds training
sessions (the full-size data, docs/benchmarks.md) is measured as it is. Ends with one
`figure:` line per figure (tests/bench/figures.py); asserts nothing.
"""

import argparse
import os
import random
import secrets
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from aftersales import create_app
from aftersales.extensions import db
from aftersales.training import figures, services
from aftersales.training.models import (
    Attendance,
    Certificate,
    QualificationRule,
    Staff,
    StaffWorkType,
    TrainingSession,
)
from tests.bench import figures as bench_figures
from tests.factories import make_user

TODAY = date(2026, 11, 23)
REPEATS = 9
BATCH = 20_000


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model.__table__), rows[start:start + BATCH])


def _fill(staff_count: int, rng: random.Random) -> int:
    user = make_user("technician", username="bench-tech", commit=False)
    created = datetime(2026, 1, 1, tzinfo=UTC)
    _insert(Staff, [{
        "employee_no": f"B{n:06d}", "name": "基准员工", "department": "after_sales",
        "post": "technician" if n % 3 == 0 else "service_manager" if n % 5 == 0 else "agent",
        "is_service_management": n % 5 == 0, "is_active": n % 50 != 0,
        "user_id": user.id if n == 0 else None, "created_at": created,
    } for n in range(staff_count)])
    ids = list(db.session.scalars(select(Staff.id).order_by(Staff.id)))
    technicians = ids[::3]
    _insert(StaffWorkType, [{"staff_id": s, "work_type": w} for s in technicians
                            for w in ("repair", "installation")])
    for kind, category, work in (("electrician", None, "repair"),
                                 ("electrician", None, "installation"),
                                 ("height_work", "air_conditioner", "installation"),
                                 ("refrigeration", "air_conditioner", None),
                                 ("gas", "water_heater", None)):
        db.session.add(QualificationRule(certificate_type=kind, product_category=category,
                                         work_type=work, note=""))
    kinds = ("service_manager", "electrician", "refrigeration", "gas", "height_work")
    certificates = []
    for staff_id in ids:
        for number in range(rng.randrange(2, 7)):
            issued = TODAY - timedelta(days=rng.randrange(30, 2000))
            certificates.append({
                "staff_id": staff_id, "type": kinds[(staff_id + number) % 5],
                "number": f"N{staff_id}-{number}", "issuer": "应急管理局", "issued_on": issued,
                "expires_on": issued + timedelta(days=rng.choice((1095, 1460, 2190))),
                "created_at": created,
            })
    _insert(Certificate, certificates)
    sessions = max(12, staff_count * 20 * 12 // 1000)
    start = datetime(2025, 11, 1, 1, tzinfo=UTC)
    _insert(TrainingSession, [{
        "topic": "基准培训", "kind": ("technical", "business", "service_culture")[n % 3],
        "trainer": "讲师", "starts_at": start + timedelta(hours=9 * n),
        "ends_at": start + timedelta(hours=9 * n + 3), "minutes": 180, "place": "培训室",
        "pass_mark": 60, "sign_in_token": secrets.token_urlsafe(32), "created_at": created,
    } for n in range(sessions)])
    session_ids = list(db.session.scalars(select(TrainingSession.id)))
    attendance = []
    for session_id in session_ids:
        for staff_id in rng.sample(ids, min(40, len(ids))):
            present = rng.random() < 0.9
            score = rng.randrange(40, 101) if present else None
            attendance.append({
                "session_id": session_id, "staff_id": staff_id,
                "signed_in_at": start if present else None, "method": "roster" if present else None,
                "score": score, "passed": None if score is None else score >= 60,
            })
    _insert(Attendance, attendance)
    db.session.commit()
    return user.id


def _median_ms(action) -> float:
    return bench_figures.median(bench_figures.samples_ms(action, REPEATS))


def _measured_user() -> int:
    """A user with a staff record, whose missing certificates are looked up."""
    return db.session.scalar(select(Staff.user_id).where(Staff.user_id.is_not(None))
                             .order_by(Staff.id).limit(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=5000)
    staff = parser.parse_args().staff
    url = os.environ.get("AFTERSALES_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        began = time.perf_counter()
        if db.session.scalar(select(func.count(TrainingSession.id))):
            user_id = _measured_user()
        else:
            user_id = _fill(staff, random.Random(1))
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Staff, Certificate, TrainingSession, Attendance)}
        print(f"{db.engine.dialect.name}: filled in {time.perf_counter() - began:.0f}s: "
              + ", ".join(f"{count:,} {name}" for name, count in counts.items())
              + f"; median of {REPEATS}")

        def count(model):
            return lambda: db.session.scalar(select(func.count()).select_from(model))

        cases = (
            ("training.certified_managers", lambda: figures.certified_managers(db.session, TODAY),
             count(Staff)),
            ("training.technicians_certified",
             lambda: figures.technicians_certified(db.session, TODAY),
             count(Staff)),
            ("training.coverage", lambda: figures.training_coverage(db.session, TODAY),
             count(Attendance)),
            ("training.pass_rate", lambda: figures.pass_rate(db.session, TODAY), count(Attendance)),
            ("training.service_culture_sessions",
             lambda: figures.service_culture_sessions(db.session, TODAY.year),
             count(TrainingSession)),
            ("training.missing_certificates", lambda: services.missing_certificates(
                db.session, user_id=user_id, product_category="air_conditioner",
                work_type="installation", on=TODAY), count(QualificationRule)),
        )
        print("floor: COUNT(*) of the table each figure reads")
        for name, action, floor in cases:
            bench_figures.report(name, _median_ms(action), _median_ms(floor),
                                 goal="ratio<=1.5", unit="ms")


if __name__ == "__main__":
    main()
