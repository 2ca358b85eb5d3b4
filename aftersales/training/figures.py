"""The staffing and training figures, computed live with set-based SQL (one query each).

- certified service managers: active service-management staff holding a 售后服务管理师
  certificate in force on the day / active service-management staff; target >= 10%
  (clause 5.1.2.2), compared in whole numbers (10 x certified >= staff), so 1 of 10 meets
  it and 1 of 11 does not;
- technicians fully certified: active technicians who hold, in force, every certificate
  the qualification rules require for the work types they do (rules naming a work type
  and no product category) / active technicians;
- training coverage: active staff who signed in to a session that started in the 365
  days up to the day / active staff;
- pass rate: exams passed / exams scored, sessions of the same 365 days;
- service-culture sessions: sessions of kind service culture in the local calendar year.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from aftersales.core.clock import DEFAULT_ZONE
from aftersales.training.models import (
    SERVICE_MANAGER_CERTIFICATE,
    Attendance,
    Certificate,
    Staff,
    TrainingSession,
)
from aftersales.training.services import is_valid_on, technicians_missing
from aftersales.training.sessions import year_bounds

CERTIFIED_MANAGER_TARGET = (1, 10)  # at least 1 in 10
SERVICE_CULTURE_TARGET = 1  # at least one service-culture session a year


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int
    target: float | None

    @property
    def share(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Figures:
    on: date
    certified_managers: Ratio
    certified_managers_met: bool | None  # None: no service-management staff on record
    technicians_certified: Ratio
    training_coverage: Ratio
    pass_rate: Ratio
    service_culture_sessions: int
    service_culture_target: int


def _end_of(on: date) -> datetime:
    return datetime.combine(on + timedelta(days=1), time(), DEFAULT_ZONE).astimezone(UTC)


def certified_managers(session: Session, on: date) -> tuple[Ratio, bool | None]:
    certified = exists().where(
        Certificate.staff_id == Staff.id,
        Certificate.type == SERVICE_MANAGER_CERTIFICATE,
        is_valid_on(on),
    )
    staff, holding = session.execute(
        select(func.count(Staff.id), func.count(Staff.id).filter(certified))
        .where(Staff.is_active, Staff.is_service_management)
    ).one()
    wanted, per = CERTIFIED_MANAGER_TARGET
    met = None if staff == 0 else holding * per >= staff * wanted
    return Ratio(holding, staff, wanted / per), met


def technicians_certified(session: Session, on: date) -> Ratio:
    total, complete = session.execute(
        select(func.count(Staff.id), func.count(Staff.id).filter(~technicians_missing(session, on)))
        .where(Staff.is_active, Staff.post == "technician")
    ).one()
    return Ratio(complete, total, 1.0)


def training_coverage(session: Session, on: date) -> Ratio:
    end = _end_of(on)
    trained = exists().where(
        Attendance.staff_id == Staff.id,
        Attendance.signed_in_at.is_not(None),
        TrainingSession.id == Attendance.session_id,
        TrainingSession.starts_at >= end - timedelta(days=365),
        TrainingSession.starts_at < end,
    )
    total, covered = session.execute(
        select(func.count(Staff.id), func.count(Staff.id).filter(trained)).where(Staff.is_active)
    ).one()
    return Ratio(covered, total, None)


def pass_rate(session: Session, on: date) -> Ratio:
    end = _end_of(on)
    scored, passed = session.execute(
        select(func.count(Attendance.score), func.count(Attendance.id).filter(Attendance.passed))
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(TrainingSession.starts_at >= end - timedelta(days=365),
               TrainingSession.starts_at < end)
    ).one()
    return Ratio(passed, scored, None)


def service_culture_sessions(session: Session, year: int) -> int:
    start, end = year_bounds(year)
    return session.scalar(
        select(func.count(TrainingSession.id)).where(
            TrainingSession.kind == "service_culture",
            TrainingSession.starts_at >= start, TrainingSession.starts_at < end,
        )
    )


def figures(session: Session, on: date) -> Figures:
    managers, met = certified_managers(session, on)
    return Figures(
        on=on,
        certified_managers=managers,
        certified_managers_met=met,
        technicians_certified=technicians_certified(session, on),
        training_coverage=training_coverage(session, on),
        pass_rate=pass_rate(session, on),
        service_culture_sessions=service_culture_sessions(session, on.year),
        service_culture_target=SERVICE_CULTURE_TARGET,
    )
