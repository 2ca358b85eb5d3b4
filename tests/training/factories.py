"""Staff, certificates and sessions built through the training services."""

import itertools
from datetime import UTC, date, datetime, timedelta

from aftersales.extensions import db
from aftersales.training import services, sessions

_numbers = itertools.count(1)
TODAY = date(2026, 11, 23)


def make_staff(post="technician", department="after_sales", commit=True, work_types=(),
               **values):
    number = next(_numbers)
    staff = services.create_staff(
        db.session, employee_no=values.pop("employee_no", f"E{number:05d}"),
        name=values.pop("name", f"员工{number}"), post=post, department=department,
        work_types=work_types, **values,
    )
    if commit:
        db.session.commit()
    return staff


def make_certificate(staff, type="electrician", issued_on=date(2024, 1, 1),
                     expires_on: date | None = date(2030, 1, 1), commit=True, **values):
    number = next(_numbers)
    certificate = services.add_certificate(
        db.session, staff, type=type, number=values.pop("number", f"C{number:06d}"),
        issuer=values.pop("issuer", "北京市应急管理局"), issued_on=issued_on,
        expires_on=expires_on, **values,
    )
    if commit:
        db.session.commit()
    return certificate


def make_session(starts_at: datetime | None = None, hours=2, kind="technical", pass_mark=60,
                 commit=True, **values):
    starts_at = starts_at or datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    training = sessions.create_session(
        db.session, None, topic=values.pop("topic", "空调安装规范"), kind=kind,
        trainer=values.pop("trainer", "周婷"), starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours), place=values.pop("place", "培训室一"),
        pass_mark=pass_mark, **values,
    )
    if commit:
        db.session.commit()
    return training


def attend(training, *staff, score=None):
    sessions.tick_roster(db.session, training, [s.id for s in staff], now=training.starts_at)
    if score is not None:
        sessions.record_scores(db.session, training, {s.id: score for s in staff})
    db.session.commit()
