"""The register of service mediators (clause 5.3.2.3: 配备服务调解人员): who on the staff
is appointed to mediate disputes, from which day to which. Kept by someone acting for the
whole company; a mediator must be able to handle complaints, and is appointed at most
once at a time. The evidence counts the mediators in office over the period, day by day."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from aftersales.complaints.models import MediatorAppointment
from aftersales.core.clock import local_today
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import RoleGrant, User
from aftersales.core.permissions import roles_granting, scope_of

MAX_NOTE = 500


def _check_keeper(actor) -> None:
    if not scope_of(actor, "complaints.mediators").everywhere:
        raise PermissionDenied(_l("The mediator register is the company's: it is kept by "
                                  "someone who acts for the whole company."))


def eligible_staff(session: Session) -> list[tuple[int, str]]:
    """Enabled users who may handle complaints (what a mediator does), by name."""
    rows = session.execute(
        select(User.id, User.display_name)
        .where(User.is_enabled, User.id.in_(
            select(RoleGrant.user_id)
            .where(RoleGrant.role.in_(roles_granting("complaints.handle")))))
        .order_by(User.display_name))
    return [tuple(row) for row in rows]


def in_office_between(first_day: date, last_day: date) -> Select:
    """Appointments in office on at least one day between the two (both included)."""
    return select(MediatorAppointment).where(
        MediatorAppointment.appointed_on <= last_day,
        or_(MediatorAppointment.ended_on.is_(None), MediatorAppointment.ended_on >= first_day))


def appoint(session: Session, actor, user_id: int, appointed_on: date,
            note: str = "") -> MediatorAppointment:
    _check_keeper(actor)
    if user_id not in {staff_id for staff_id, _ in eligible_staff(session)}:
        raise ValidationFailed(_l("Choose an active member of staff who handles complaints."),
                               field="user_id")
    if appointed_on > local_today():
        raise ValidationFailed(_l("An appointment is recorded from today or an earlier day."),
                               field="appointed_on")
    open_one = session.scalar(select(MediatorAppointment.id).where(
        MediatorAppointment.user_id == user_id, MediatorAppointment.ended_on.is_(None)))
    if open_one is not None:
        raise Conflict(_l("This person is a mediator already."), field="user_id")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(_l("At most %(n)d characters.", n=MAX_NOTE), field="note")
    appointment = MediatorAppointment(user_id=user_id, appointed_on=appointed_on, note=note,
                                      appointed_by_id=actor.id)
    session.add(appointment)
    session.flush()
    return appointment


def end(session: Session, actor, appointment_id: int, ended_on: date) -> MediatorAppointment:
    _check_keeper(actor)
    appointment = get_appointment(session, appointment_id)
    if appointment.ended_on is not None:
        raise Conflict(_l("This appointment has ended already."))
    if ended_on < appointment.appointed_on or ended_on > local_today():
        raise ValidationFailed(
            _l("The last day in office lies between the appointment and today."),
            field="ended_on")
    appointment.ended_on = ended_on
    session.flush()
    return appointment


def get_appointment(session: Session, appointment_id: int) -> MediatorAppointment:
    appointment = session.get(MediatorAppointment, appointment_id)
    if appointment is None:
        raise NotFound(_l("There is no such mediator appointment."))
    return appointment


def register(session: Session, limit: int = 500) -> list[MediatorAppointment]:
    """In office first, then the most recently appointed."""
    return list(session.scalars(
        select(MediatorAppointment)
        .order_by(MediatorAppointment.ended_on.is_not(None), MediatorAppointment.id.desc())
        .limit(limit)))


@dataclass(frozen=True)
class Staffing:
    """Mediator-days over the period's days: on average how many were in office."""

    mediator_days: int
    days: int

    @property
    def average(self) -> float:
        return round(self.mediator_days / self.days, 4)


def staffing(session: Session, first_day: date, last_day: date) -> Staffing:
    """Few appointments ever exist (a handful a year): their overlap is summed here."""
    days = 0
    for appointment in session.scalars(in_office_between(first_day, last_day)):
        start = max(appointment.appointed_on, first_day)
        stop = min(appointment.ended_on or last_day, last_day)
        days += (stop - start).days + 1
    return Staffing(days, (last_day - first_day).days + 1)
