"""Evidence providers of complaints (clauses 5.3.2.1, 5.3.2.2, 5.3.2.3): the 24-hour
response rate and the resolution rate of the complaints received in the period (the
board's total row, one grouped query), closed complaints with a complete archive (the
archive check's conditions) and the service mediators in office, from their register."""

from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from aftersales.complaints import figures as complaint_figures
from aftersales.complaints import mediators as mediator_register
from aftersales.complaints import record_sheet
from aftersales.complaints.models import Complaint, MediatorAppointment
from aftersales.complaints.queries import archive_conditions
from aftersales.core.models import User
from aftersales.core.permissions import Scope
from aftersales.core.types import hours_between, local_month, within_seconds
from aftersales.evidence.compliance.registry import (
    Measure,
    Period,
    provider,
    record_kind,
    record_link,
    record_names,
)

TABLES = ("complaints", "complaint_clocks")
record_link("complaints", "complaints.show", "complaint_id")
record_names("complaints", lambda session, ids: {i: Complaint(id=i).number for i in ids})


def _closed_in(period: Period):
    """Complaints an audit samples: those closed in the period."""
    return select(Complaint.id, Complaint.outlet_id, local_month(Complaint.closed_at)).where(
        Complaint.state == "closed", Complaint.closed_at >= period.start,
        Complaint.closed_at < period.end,
    )


record_kind("complaints", label_zh="投诉闭环记录", label_en="Complaints (closed loop)",
            population=_closed_in, sheets_data=record_sheet.sheets_data,
            sheet_pdf=record_sheet.sheet_pdf)

EVERYWHERE = Scope(everywhere=True)


def _received(period):
    return and_(Complaint.received_at >= period.start, Complaint.received_at < period.end)


def _total(session, period, now):
    """The board's total row for the period, shared by the providers of a recompute."""
    return period.shared("complaints.board", lambda: complaint_figures.board(
        session, EVERYWHERE, period.start, period.end, now=now, outlet_limit=0).total)


@provider("complaints.response_24h", record_type="complaints", tables=TABLES)
def response_24h(session, period, target):
    """First responses within the rubric's limit (24 h by default) counted in clock hours
    from receipt, whatever calendar the resolution clock runs on. Over the complaints
    received in the period that were answered, or whose limit had passed unanswered by the
    moment the figures are taken (a clock past due is a failure, stopped or not). The
    first response is when the first cycle's response clock stopped, kept on the
    complaint as acknowledged_at: one table, no clock joined."""
    limit = period.limit_hours("complaints.response_24h") * 3600
    now = period.now()
    answered = Complaint.acknowledged_at.is_not(None)
    due = and_(_received(period), or_(
        answered, Complaint.received_at < now - timedelta(seconds=limit)))
    in_time = and_(answered, within_seconds(Complaint.acknowledged_at, Complaint.received_at,
                                            limit))
    checked, passed = session.execute(
        select(func.count(), func.count(case((in_time, 1)))).where(due)
    ).one()
    ids = select(Complaint.id)
    return Measure.share(
        passed, checked,
        records=ids.where(due).order_by(Complaint.id.desc()),
        failing=ids.where(due, ~in_time).order_by(Complaint.id),
        detail=ids.add_columns(
            Complaint.received_at.label("received_at"),
            Complaint.acknowledged_at.label("first_response_at"),
            hours_between(Complaint.acknowledged_at, Complaint.received_at)
            .label("hours_to_first_response"),
        ).where(due),
    )


@provider("complaints.resolution_rate", record_type="complaints", tables=TABLES)
def resolution_rate(session, period, target):
    """Complaints received in the period that are now resolved or closed."""
    total = _total(session, period, period.now())
    received = select(Complaint.id).where(_received(period))
    return Measure.share(
        total.resolved, total.received,
        records=received.order_by(Complaint.id.desc()),
        failing=received.where(Complaint.state.not_in(("resolved", "closed")))
        .order_by(Complaint.id),
    )


@provider("complaints.archive_complete", record_type="complaints",
          tables=TABLES + ("complaint_attachments",))
def archive_complete(session, period, target):
    """Complaints closed in the period whose archive check lists no missing part."""
    closed = and_(Complaint.state == "closed", Complaint.closed_at >= period.start,
                  Complaint.closed_at < period.end)
    complete = and_(*archive_conditions().values())
    checked, passed = session.execute(
        select(func.count(), func.count(case((complete, 1)))).where(closed)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(Complaint.id).where(closed).order_by(Complaint.id.desc()),
        failing=select(Complaint.id).where(closed, ~complete).order_by(Complaint.id),
    )


def _appointment_rows(ids):
    """An appointment as an auditor reads it: the mediator and who appointed them by name."""
    mediator, keeper = aliased(User, name="mediator"), aliased(User, name="keeper")
    return (select(MediatorAppointment.id, mediator.display_name.label("mediator"),
                   MediatorAppointment.appointed_on, MediatorAppointment.ended_on,
                   MediatorAppointment.note, keeper.display_name.label("appointed_by"),
                   MediatorAppointment.appointed_at)
            .join(mediator, mediator.id == MediatorAppointment.user_id)
            .join(keeper, keeper.id == MediatorAppointment.appointed_by_id)
            .where(MediatorAppointment.id.in_(ids)))


record_kind("complaint_mediator_appointments", label_zh="服务调解人员任命",
            label_en="Service mediator appointments", rows=_appointment_rows)
# An appointment is named by the mediator appointed, and opens at its row of the register.
record_link("complaint_mediator_appointments", "complaints.mediator_register", "_anchor")
record_names("complaint_mediator_appointments", lambda session, ids: dict(session.execute(
    select(MediatorAppointment.id, User.display_name)
    .join(User, User.id == MediatorAppointment.user_id)
    .where(MediatorAppointment.id.in_(ids))).all()))


@provider("complaints.mediators", record_type="complaint_mediator_appointments",
          tables=("complaint_mediator_appointments",))
def mediators(session, period, target):
    """Service mediators in office, on average over the period's days (mediator-days /
    days), from the appointment register: one mediator appointed halfway through counts
    0.5. Names typed on complaints are not an appointment and do not count."""
    staffing = mediator_register.staffing(session, period.first_day, period.last_day)
    return Measure(
        staffing.average,
        records=mediator_register.in_office_between(period.first_day, period.last_day)
        .with_only_columns(MediatorAppointment.id).order_by(MediatorAppointment.id),
    )
