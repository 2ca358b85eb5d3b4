"""The manager's board: response and resolution figures of the complaints received in a
period, in total, by category and by outlet. One grouped query per breakdown, over
stored clock outcomes: nothing is recomputed per complaint.

- 24-hour response rate: first responses (first cycle) given within 24 counted hours of
  receipt, over complaints whose first response is given or whose 24 hours have passed.
- Response on target: first responses within their severity's target.
- Resolution rate: complaints resolved or closed, over complaints received.
- Resolution on target: current-cycle resolutions within target, over those resolved.
- Average times: counted hours (pauses not counted) of the stopped clocks.
- Repeat complaints: the customer complained before, within the year before the period
  or earlier in it; reopened: complaints now in a second or later cycle.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, and_, case, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from aftersales.complaints.models import Complaint, ComplaintClock
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.permissions import Scope
from aftersales.outlets.services import outlet_choices, region_of

DAY = 24 * 3600
REPEAT_LOOKBACK = timedelta(days=365)


@dataclass(frozen=True)
class Row:
    key: str | None
    label: str | None
    received: int
    responded_24h: int
    response_due: int
    response_24h_rate: float | None
    response_met: int
    response_met_rate: float | None
    resolved: int
    resolution_rate: float | None
    resolution_met: int
    resolution_met_rate: float | None
    average_response_hours: float | None
    average_resolution_hours: float | None
    repeat: int
    reopened: int
    average_satisfaction: float | None


@dataclass(frozen=True)
class Board:
    start: datetime
    end: datetime
    total: Row
    by_category: list[Row]
    by_outlet: list[Row]


def local_period(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """Local calendar days (Asia/Shanghai), both included, as [start, end) in UTC."""
    if last_day < first_day:
        raise ValidationFailed(_l("The period ends before it starts."), field="to")
    start = datetime.combine(first_day, time(), DEFAULT_ZONE)
    return start, datetime.combine(last_day + timedelta(days=1), time(), DEFAULT_ZONE)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _hours(seconds) -> float | None:
    return None if seconds is None else round(float(seconds) / 3600, 1)


def _measures(now: datetime, start: datetime):
    response = aliased(ComplaintClock)
    resolution = aliased(ComplaintClock)
    earlier = aliased(Complaint)
    responded_24h = and_(response.stopped_at.is_not(None), response.elapsed_seconds <= DAY)
    due_24h = or_(response.stopped_at.is_not(None),
                  response.started_at < now - timedelta(seconds=DAY))
    repeat = exists().where(
        earlier.customer_id == Complaint.customer_id,
        earlier.received_at < Complaint.received_at,
        earlier.received_at >= start - REPEAT_LOOKBACK,
    )
    resolved = Complaint.state.in_(("resolved", "closed"))
    columns = (
        func.count(Complaint.id).label("received"),
        func.sum(case((responded_24h, 1), else_=0)).label("responded_24h"),
        func.sum(case((due_24h, 1), else_=0)).label("response_due"),
        func.sum(case((response.met.is_(True), 1), else_=0)).label("response_met"),
        func.sum(case((response.stopped_at.is_not(None), 1), else_=0)).label("responded"),
        func.sum(case((resolved, 1), else_=0)).label("resolved"),
        func.sum(case((and_(resolved, resolution.met.is_(True)), 1), else_=0)).label(
            "resolution_met"),
        func.avg(cast(response.elapsed_seconds, Float)).label("response_seconds"),
        func.avg(cast(resolution.elapsed_seconds, Float)).label("resolution_seconds"),
        func.sum(case((repeat, 1), else_=0)).label("repeat"),
        func.sum(case((Complaint.cycle > 1, 1), else_=0)).label("reopened"),
        func.avg(cast(Complaint.satisfaction, Float)).label("satisfaction"),
    )
    joins = (
        (response, and_(response.complaint_id == Complaint.id, response.cycle == 1,
                        response.kind == "response")),
        (resolution, and_(resolution.complaint_id == Complaint.id,
                          resolution.cycle == Complaint.cycle, resolution.kind == "resolution")),
    )
    return columns, joins


def _row(key, label, values) -> Row:
    received = values.received or 0
    responded_24h, due = values.responded_24h or 0, values.response_due or 0
    resolved, resolution_met = values.resolved or 0, values.resolution_met or 0
    response_met, responded = values.response_met or 0, values.responded or 0
    return Row(
        key=None if key is None else str(key), label=label, received=received,
        responded_24h=responded_24h, response_due=due,
        response_24h_rate=_rate(responded_24h, due),
        response_met=response_met, response_met_rate=_rate(response_met, responded),
        resolved=resolved, resolution_rate=_rate(resolved, received),
        resolution_met=resolution_met, resolution_met_rate=_rate(resolution_met, resolved),
        average_response_hours=_hours(values.response_seconds),
        average_resolution_hours=_hours(values.resolution_seconds),
        repeat=values.repeat or 0, reopened=values.reopened or 0,
        average_satisfaction=None if values.satisfaction is None
        else round(float(values.satisfaction), 2),
    )


def board(session: Session, scope: Scope, start: datetime, end: datetime,
          now: datetime | None = None, outlet_limit: int = 50) -> Board:
    now = now or utcnow()
    columns, joins = _measures(now, start)

    def query(*group):
        stmt = select(*group, *columns).select_from(Complaint)
        for target, on in joins:
            stmt = stmt.outerjoin(target, on)
        stmt = stmt.where(Complaint.received_at >= start, Complaint.received_at < end)
        condition = scope.condition(Complaint.outlet_id, region_of(Complaint.outlet_id))
        return stmt if condition is None else stmt.where(condition)

    total = _row(None, None, session.execute(query()).one())
    by_category = [
        _row(row.category, None, row)
        for row in session.execute(query(Complaint.category).group_by(Complaint.category)
                                   .order_by(func.count(Complaint.id).desc()))
    ]
    outlet_rows = session.execute(
        query(Complaint.outlet_id)
        .group_by(Complaint.outlet_id)
        .order_by(func.count(Complaint.id).desc())
        .limit(outlet_limit)
    ).all()
    names = {outlet_id: f"{code} {name}" for outlet_id, code, name, _region in
             outlet_choices(session)} if outlet_rows else {}
    by_outlet = [_row(row.outlet_id, names.get(row.outlet_id), row) for row in outlet_rows]
    return Board(start, end, total, by_category, by_outlet)
