"""Annual plans, training sessions, courseware, attendance (QR or roster sign-in),
exam scores and training hours. Functions flush; the caller commits."""

import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.core.audit import label_change
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import Scope
from aftersales.outlets import services as outlet_services
from aftersales.training import services
from aftersales.training.models import (
    SESSION_KINDS,
    Attendance,
    Courseware,
    Staff,
    StoredFile,
    TrainingPlan,
    TrainingSession,
)

# The QR code opens from an hour before the start until an hour after the end.
SIGN_IN_EARLY = timedelta(hours=1)
SIGN_IN_LATE = timedelta(hours=1)
MAX_SESSION = timedelta(hours=12)


def _text(value, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(_l("Required."), field=field)
    if len(text) > limit:
        raise ValidationFailed(_l("At most %(count)d characters.", count=limit), field=field)
    return text


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The local (Asia/Shanghai) calendar year as a UTC half-open interval."""
    start = datetime.combine(date(year, 1, 1), time(), DEFAULT_ZONE).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(), DEFAULT_ZONE).astimezone(UTC)
    return start, end


# --- plans -----------------------------------------------------------------------------


def create_plan(session: Session, actor_id: int | None, *, year: int, title: str,
                content: str = "", planned_sessions: int = 0, planned_hours: int = 0
                ) -> TrainingPlan:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed(_l("A year from 2000 to 2100."), field="year")
    for field, value in (("planned_sessions", planned_sessions), ("planned_hours", planned_hours)):
        if not isinstance(value, int) or value < 0 or value > 100_000:
            raise ValidationFailed(_l("A whole number, 0 or more."), field=field)
    plan = TrainingPlan(year=year, title=_text(title, "title", 200),
                        content=(content or "").strip(), planned_sessions=planned_sessions,
                        planned_hours=planned_hours, created_by_id=actor_id)
    session.add(plan)
    session.flush()
    return plan


def list_plans(session: Session) -> list[TrainingPlan]:
    return list(session.scalars(
        select(TrainingPlan).order_by(TrainingPlan.year.desc(), TrainingPlan.id)
    ))


def get_plan(session: Session, plan_id: int, field: str | None = None) -> TrainingPlan:
    plan = session.get(TrainingPlan, plan_id)
    if plan is None:
        raise NotFound(_l("No such plan."), field=field)
    return plan


@dataclass(frozen=True)
class PlanProgress:
    sessions: int
    hours: float


def plan_progress(session: Session, plan_ids: Iterable[int]) -> dict[int, PlanProgress]:
    ids = set(plan_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(TrainingSession.plan_id, func.count(TrainingSession.id),
               func.coalesce(func.sum(TrainingSession.minutes), 0))
        .where(TrainingSession.plan_id.in_(ids)).group_by(TrainingSession.plan_id)
    )
    found = {plan_id: PlanProgress(0, 0.0) for plan_id in ids}
    for plan_id, count, minutes in rows:
        found[plan_id] = PlanProgress(count, round(minutes / 60, 1))
    return found


# --- sessions --------------------------------------------------------------------------


def scoped_sessions(stmt, scope: Scope | None):
    return outlet_services.in_scope(stmt, scope, TrainingSession.outlet_id)


def sessions_starting_count(session: Session, scope: Scope, start: datetime, end: datetime
                            ) -> int:
    """How many sessions start from `start` (inclusive) to `end` (exclusive), in one count."""
    stmt = scoped_sessions(select(func.count()).select_from(TrainingSession), scope)
    return session.scalar(stmt.where(TrainingSession.starts_at >= start,
                                     TrainingSession.starts_at < end))


def create_session(session: Session, actor_id: int | None, *, topic: str, kind: str,
                   trainer: str, starts_at: datetime, ends_at: datetime, place: str,
                   outlet_id: int | None = None, plan_id: int | None = None,
                   pass_mark: int | None = None) -> TrainingSession:
    if kind not in SESSION_KINDS:
        raise ValidationFailed(_l("Not one of the choices."), field="kind")
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        raise ValidationFailed(_l("Not a time."), field="starts_at")
    if not isinstance(ends_at, datetime) or ends_at.tzinfo is None:
        raise ValidationFailed(_l("Not a time."), field="ends_at")
    if ends_at <= starts_at:
        raise ValidationFailed(_l("The end comes after the start."), field="ends_at")
    if ends_at - starts_at > MAX_SESSION:
        raise ValidationFailed(_l("A session lasts at most 12 hours; enter each day."),
                               field="ends_at")
    if pass_mark is not None and (not isinstance(pass_mark, int) or not 0 <= pass_mark <= 100):
        raise ValidationFailed(_l("A pass mark is 0 to 100."), field="pass_mark")
    if outlet_id is not None:
        outlet_services.get_outlet(session, outlet_id)
    if plan_id is not None:
        get_plan(session, plan_id, field="plan_id")
    training = TrainingSession(
        topic=_text(topic, "topic", 200), kind=kind, trainer=_text(trainer, "trainer", 100),
        starts_at=starts_at, ends_at=ends_at,
        minutes=int((ends_at - starts_at).total_seconds() // 60),
        place=_text(place, "place", 200), outlet_id=outlet_id, plan_id=plan_id,
        pass_mark=pass_mark, sign_in_token=secrets.token_urlsafe(32), created_by_id=actor_id,
    )
    session.add(training)
    session.flush()
    return training


def get_session(session: Session, session_id: int, scope: Scope | None = None
                ) -> TrainingSession:
    training = session.scalar(
        scoped_sessions(select(TrainingSession).where(TrainingSession.id == session_id), scope)
    )
    if training is None:
        raise NotFound(_l("No such training session."))
    return training


def session_by_token(session: Session, token: str) -> TrainingSession:
    training = session.scalar(select(TrainingSession).where(TrainingSession.sign_in_token == token))
    if training is None:
        raise NotFound(_l("This sign-in code is not valid."))
    return training


@dataclass(frozen=True)
class SessionFilters:
    kind: str | None = None
    year: int | None = None
    plan_id: int | None = None


def list_sessions(session: Session, scope: Scope, filters: SessionFilters,
                  cursor: str | None, limit: int) -> Page:
    """Latest first (by id, which follows creation)."""
    stmt = scoped_sessions(select(TrainingSession), scope)
    if filters.kind:
        stmt = stmt.where(TrainingSession.kind == filters.kind)
    if filters.year:
        start, end = year_bounds(filters.year)
        stmt = stmt.where(TrainingSession.starts_at >= start, TrainingSession.starts_at < end)
    if filters.plan_id:
        stmt = stmt.where(TrainingSession.plan_id == filters.plan_id)
    return keyset_page(session, stmt, TrainingSession.id, cursor, limit)


@dataclass(frozen=True)
class Counts:
    enrolled: int
    present: int
    scored: int
    passed: int


def attendance_counts(session: Session, session_ids: Iterable[int]) -> dict[int, Counts]:
    ids = set(session_ids)
    found = {session_id: Counts(0, 0, 0, 0) for session_id in ids}
    if not ids:
        return found
    rows = session.execute(
        select(
            Attendance.session_id, func.count(Attendance.id),
            func.count(Attendance.signed_in_at), func.count(Attendance.score),
            func.count(Attendance.id).filter(Attendance.passed.is_(True)),
        ).where(Attendance.session_id.in_(ids)).group_by(Attendance.session_id)
    )
    for session_id, *counts in rows:
        found[session_id] = Counts(*counts)
    return found


def add_courseware(session: Session, training: TrainingSession, file_id: int) -> Courseware:
    item = Courseware(session_id=training.id, file_id=file_id)
    session.add(item)
    session.flush()
    return item


def courseware_of(session: Session, session_id: int) -> list[StoredFile]:
    return list(session.scalars(
        select(StoredFile).join(Courseware, Courseware.file_id == StoredFile.id)
        .where(Courseware.session_id == session_id).order_by(Courseware.id)
    ))


# --- attendance ------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterLine:
    attendance: Attendance
    employee_no: str
    name: str
    outlet_id: int | None


def roster(session: Session, session_id: int) -> list[RosterLine]:
    return rosters(session, [session_id]).get(session_id, [])


def rosters(session: Session, session_ids: list[int]) -> dict[int, list[RosterLine]]:
    """The roster of each of these sessions by employee number, in one query."""
    found: dict[int, list[RosterLine]] = defaultdict(list)
    if session_ids:
        rows = session.execute(
            select(Attendance, Staff.employee_no, Staff.name, Staff.outlet_id)
            .join(Staff, Staff.id == Attendance.staff_id)
            .where(Attendance.session_id.in_(session_ids))
            .order_by(Attendance.session_id, Staff.employee_no)
        )
        for row in rows:
            found[row[0].session_id].append(RosterLine(*row))
    return found


def enrol(session: Session, training: TrainingSession, staff_ids: Iterable[int]) -> int:
    """Put staff on the roster (once each); returns how many were added."""
    wanted = set(staff_ids)
    if not wanted:
        return 0
    known = set(session.scalars(select(Staff.id).where(Staff.id.in_(wanted))))
    if wanted - known:
        raise ValidationFailed(_l("No such member of staff."), field="staff_ids")
    on_roster = set(session.scalars(
        select(Attendance.staff_id).where(Attendance.session_id == training.id,
                                          Attendance.staff_id.in_(wanted))
    ))
    for staff_id in sorted(wanted - on_roster):
        session.add(Attendance(session_id=training.id, staff_id=staff_id))
    session.flush()
    return len(wanted - on_roster)


def tick_roster(session: Session, training: TrainingSession, present: Iterable[int],
                now: datetime | None = None) -> None:
    """The trainer's roster: those ticked are signed in (at `now`, by roster) unless they
    signed in already; a roster sign-in unticked is withdrawn unless scored."""
    now = now or utcnow()
    present = set(present)
    enrol(session, training, present)
    for line in roster(session, training.id):
        attendance = line.attendance
        if attendance.staff_id in present and attendance.signed_in_at is None:
            attendance.signed_in_at, attendance.method = max(now, training.starts_at), "roster"
            label_change(session, attendance, "attendance:roster")
        elif (attendance.staff_id not in present and attendance.method == "roster"
              and attendance.score is None):
            attendance.signed_in_at, attendance.method = None, None
            label_change(session, attendance, "attendance:withdrawn")
    session.flush()


def attendance_of(session: Session, session_id: int, staff_id: int) -> Attendance | None:
    return session.scalar(select(Attendance).where(
        Attendance.session_id == session_id, Attendance.staff_id == staff_id))


def sign_in_open(training: TrainingSession, now: datetime) -> bool:
    return training.starts_at - SIGN_IN_EARLY <= now <= training.ends_at + SIGN_IN_LATE


def sign_in(session: Session, training: TrainingSession, user_id: int,
            now: datetime | None = None) -> Attendance:
    """The trainee's own sign-in from the QR code; a second scan changes nothing."""
    now = now or utcnow()
    staff = services.staff_of_user(session, user_id)
    if staff is None or not staff.is_active:
        raise ValidationFailed(
            _l("Your login is not linked to a staff record; ask the trainer to tick you on "
               "the roster."))
    attendance = session.scalar(select(Attendance).where(
        Attendance.session_id == training.id, Attendance.staff_id == staff.id))
    if attendance is not None and attendance.signed_in_at is not None:
        return attendance
    if not sign_in_open(training, now):
        raise Conflict(_l("Sign-in is open from an hour before the start until an hour after "
                          "the end."))
    if attendance is None:
        attendance = Attendance(session_id=training.id, staff_id=staff.id)
        session.add(attendance)
    attendance.signed_in_at, attendance.method = now, "qr"
    session.flush()
    label_change(session, attendance, "attendance:qr")
    session.flush()
    return attendance


def record_scores(session: Session, training: TrainingSession,
                  scores: Mapping[int, int | None]) -> int:
    """Exam scores by staff id (None clears one); pass when score >= the pass mark."""
    if training.pass_mark is None:
        raise Conflict(_l("This session has no exam; give it a pass mark first."),
                       field="scores")
    lines = {line.attendance.staff_id: line.attendance for line in roster(session, training.id)}
    changed = 0
    for staff_id, score in scores.items():
        attendance = lines.get(staff_id)
        if attendance is None:
            raise ValidationFailed(_l("Not on this session's roster."), field="scores")
        if score is not None:
            if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
                raise ValidationFailed(_l("A score is 0 to 100."), field="scores")
            if attendance.signed_in_at is None:
                raise ValidationFailed(_l("Only a trainee who signed in takes the exam."),
                                       field="scores")
        if attendance.score != score:
            attendance.score = score
            attendance.passed = None if score is None else score >= training.pass_mark
            label_change(session, attendance, "attendance:score")
            changed += 1
    session.flush()
    return changed


# --- the record of one person ----------------------------------------------------------


@dataclass(frozen=True)
class RecordLine:
    session_id: int
    topic: str
    kind: str
    trainer: str
    starts_at: datetime
    minutes: int
    place: str
    signed_in_at: datetime
    score: int | None
    passed: bool | None


def training_record(session: Session, staff_id: int, since: datetime | None = None
                    ) -> list[RecordLine]:
    """Sessions this person attended (signed in), latest first."""
    stmt = (
        select(TrainingSession.id, TrainingSession.topic, TrainingSession.kind,
               TrainingSession.trainer, TrainingSession.starts_at, TrainingSession.minutes,
               TrainingSession.place, Attendance.signed_in_at, Attendance.score,
               Attendance.passed)
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(Attendance.staff_id == staff_id, Attendance.signed_in_at.is_not(None))
        .order_by(TrainingSession.starts_at.desc())
    )
    if since is not None:
        stmt = stmt.where(TrainingSession.starts_at >= since)
    return [RecordLine(*row) for row in session.execute(stmt)]


def hours_by_staff(session: Session, year: int, staff_ids: Iterable[int] | None = None
                   ) -> dict[int, float]:
    """Training hours per person in a local calendar year: the length of every session
    they signed in to, summed. One query."""
    start, end = year_bounds(year)
    stmt = (
        select(Attendance.staff_id, func.sum(TrainingSession.minutes))
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(Attendance.signed_in_at.is_not(None), TrainingSession.starts_at >= start,
               TrainingSession.starts_at < end)
        .group_by(Attendance.staff_id)
    )
    if staff_ids is not None:
        ids = set(staff_ids)
        if not ids:
            return {}
        stmt = stmt.where(Attendance.staff_id.in_(ids))
    return {staff_id: round(minutes / 60, 1) for staff_id, minutes in session.execute(stmt)}
