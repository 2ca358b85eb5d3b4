"""Evidence providers of staffing and training (clauses 5.1.2.1, 5.1.2.2, 5.1.3.2):
technicians holding every certificate their work needs and the share of certified
service managers, both on the period's last day (the training figures), and the
training sessions held in the period."""

from sqlalchemy import exists, func, select

from aftersales.core.types import local_month
from aftersales.evidence.compliance.registry import (
    Measure,
    Period,
    names_by,
    provider,
    record_kind,
    record_link,
    record_names,
)
from aftersales.training import exports
from aftersales.training import figures as training_figures
from aftersales.training.models import (
    SERVICE_MANAGER_CERTIFICATE,
    Attendance,
    Certificate,
    Staff,
    TrainingSession,
)
from aftersales.training.services import is_valid_on, technicians_missing

STAFF_TABLES = ("staff", "staff_work_types", "certificates", "qualification_rules")
record_link("staff", "training.staff_show", "staff_id")
record_link("training_sessions", "training.session_show", "session_id")
record_names("staff", names_by(Staff.name))
record_names("training_sessions", names_by(TrainingSession.topic))


def _held_in(period: Period):
    """Training sessions an audit samples: those held in the period."""
    return select(TrainingSession.id, TrainingSession.outlet_id,
                  local_month(TrainingSession.starts_at)).where(
        TrainingSession.starts_at >= period.start, TrainingSession.starts_at < period.end
    )


record_kind("training_sessions", label_zh="培训签到表", label_en="Training sign-in sheets",
            hidden=("sign_in_token",), population=_held_in,
            sheets_data=exports.sign_in_sheets_data, sheet_pdf=exports.sign_in_sheet_pdf)


@provider("training.certified_staff", record_type="staff", tables=STAFF_TABLES)
def certified_staff(session, period, target):
    """Active technicians holding, in force on the last day, every certificate the
    qualification rules require for their work types."""
    on = period.last_day
    ratio = training_figures.technicians_certified(session, on)
    technicians = select(Staff.id).where(Staff.is_active, Staff.post == "technician")
    return Measure.share(
        ratio.numerator, ratio.denominator,
        records=technicians.order_by(Staff.id.desc()),
        failing=technicians.where(technicians_missing(session, on)).order_by(Staff.id),
    )


@provider("training.service_manager_ratio", record_type="staff", tables=STAFF_TABLES)
def service_manager_ratio(session, period, target):
    """Active service-management staff holding a service manager certificate in force on
    the last day, over all of them (target 10%); the failing ids are those without one."""
    on = period.last_day
    ratio, _met = training_figures.certified_managers(session, on)
    management = select(Staff.id).where(Staff.is_active, Staff.is_service_management)
    certified = exists().where(Certificate.staff_id == Staff.id,
                               Certificate.type == SERVICE_MANAGER_CERTIFICATE, is_valid_on(on))
    return Measure.share(
        ratio.numerator, ratio.denominator,
        records=management.order_by(Staff.id.desc()),
        failing=management.where(~certified).order_by(Staff.id),
    )


def _sessions_held(session, period, *conditions) -> Measure:
    """Sessions that started in the period, have ended by the moment the figures are taken
    and were attended: someone signed in (a session on the calendar that nobody came to
    was not held). No active staff on record: no data (nobody to train); staff but no
    session: 0, which fails the clause. Each session's sign-ins go to the package."""
    signed_in = (select(func.count(Attendance.id))
                 .where(Attendance.session_id == TrainingSession.id,
                        Attendance.signed_in_at.is_not(None))
                 .correlate(TrainingSession).scalar_subquery())
    held = select(TrainingSession.id).where(
        TrainingSession.starts_at >= period.start, TrainingSession.starts_at < period.end,
        TrainingSession.ends_at <= period.now(), signed_in > 0, *conditions,
    )
    staff, count = session.execute(
        select(select(func.count(Staff.id)).where(Staff.is_active).scalar_subquery(),
               select(func.count()).select_from(held.subquery()).scalar_subquery())
    ).one()
    if not staff:
        return Measure(None)
    return Measure(float(count), records=held.order_by(TrainingSession.id.desc()),
                   detail=held.add_columns(TrainingSession.kind.label("session_kind"),
                                           signed_in.label("signed_in")))


@provider("training.sessions_held", record_type="training_sessions",
          tables=("training_sessions", "training_attendance", "staff"))
def sessions_held(session, period, target):
    """Training sessions of every kind held in the period (5.1.3.2 a)."""
    return _sessions_held(session, period)


@provider("training.service_culture_sessions", record_type="training_sessions",
          tables=("training_sessions", "training_attendance", "staff"))
def service_culture_sessions(session, period, target):
    """Service-culture training held in the period (5.1.3.2 b): counted on its own, so a
    year of technical courses no longer stands in for it."""
    return _sessions_held(session, period, TrainingSession.kind == "service_culture")
