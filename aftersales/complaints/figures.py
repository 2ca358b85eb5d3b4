"""The manager's board: response and resolution figures of the complaints received in a
period, in total, by category and by outlet. One statement sums them all in SQL over the
complaints table alone: each complaint keeps its clocks' outcomes and its customer's
previous complaint (complaints/models.py), so nothing is joined, windowed or recomputed.

- 24-hour response rate: first responses (first cycle) given within 24 counted hours of
  receipt, over complaints whose first response is given or whose 24 hours have passed.
- Response on target: first responses within their severity's target.
- Resolution rate: complaints resolved or closed, over complaints received.
- Resolution on target: current-cycle resolutions within target, over those resolved.
- Average times: counted hours (pauses not counted) of the stopped clocks.
- Repeat complaints: the customer complained before (at any outlet), within the year
  before the period or earlier in it; reopened: complaints now in a second or later cycle.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Select,
    String,
    and_,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from aftersales.complaints.models import Complaint
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.permissions import Scope
from aftersales.core.types import within_seconds
from aftersales.outlets import registry as outlet_registry
from aftersales.outlets.services import outlet_choices, outlets_in_scope

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


SUMS = ("received", "responded_24h", "response_due", "response_met", "responded", "resolved",
        "resolution_met", "response_seconds", "response_timed", "resolution_seconds",
        "resolution_timed", "repeat", "reopened", "satisfaction_sum", "satisfied")


def _grouped(now: datetime, start: datetime, end: datetime, scope: Scope):
    """One grouped query, by category and outlet, of sums and counts only (so groups add
    up into any breakdown), over the complaints alone: each keeps its clocks' outcomes and
    its customer's previous complaint (complaints/models.py)."""
    responded = Complaint.acknowledged_at.is_not(None)  # the first cycle's response
    resolved = Complaint.state.in_(("resolved", "closed"))

    def count(condition):
        return func.count().filter(condition)

    stmt = (
        select(
            Complaint.category, Complaint.outlet_id,
            func.count(Complaint.id).label("received"),
            # clock hours from receipt, whatever calendar the clocks run on
            count(and_(responded, within_seconds(Complaint.acknowledged_at,
                                                 Complaint.received_at, DAY))
                  ).label("responded_24h"),
            count(or_(responded, Complaint.received_at < now - timedelta(seconds=DAY))
                  ).label("response_due"),
            count(Complaint.first_response_met.is_(True)).label("response_met"),
            count(responded).label("responded"),
            count(resolved).label("resolved"),
            count(and_(resolved, Complaint.resolution_met.is_(True))).label("resolution_met"),
            func.sum(Complaint.first_response_seconds).label("response_seconds"),
            func.count(Complaint.first_response_seconds).label("response_timed"),
            func.sum(Complaint.resolution_seconds).label("resolution_seconds"),
            func.count(Complaint.resolution_seconds).label("resolution_timed"),
            count(Complaint.previous_received_at >= start - REPEAT_LOOKBACK).label("repeat"),
            count(Complaint.cycle > 1).label("reopened"),
            func.sum(Complaint.satisfaction).label("satisfaction_sum"),
            func.count(Complaint.satisfaction).label("satisfied"),
        )
        .where(Complaint.received_at >= start, Complaint.received_at < end)
        .group_by(Complaint.category, Complaint.outlet_id)
    )
    condition = outlets_in_scope(scope, Complaint.outlet_id)
    return stmt if condition is None else stmt.where(condition)


def _breakdown(groups, breakdown: str, key=None) -> Select:
    """The groups' sums added up by `key` (a column of `groups`), or in total without one;
    every row says its breakdown and its key as text (one union holds them all)."""
    sums = [func.coalesce(func.sum(groups.c[name]), 0).label(name) for name in SUMS]
    key_text = cast(null(), String) if key is None else cast(key, String)
    stmt = select(literal(breakdown).label("breakdown"), key_text.label("key"), *sums)
    return stmt if key is None else stmt.group_by(key)


def _sums(row) -> dict:
    """A breakdown row's sums by name (its columns: breakdown, key, then SUMS)."""
    return dict(zip(SUMS, map(int, row[2:]), strict=True))


def _mean(total, count) -> float | None:
    return total / count if count else None


def _row(key, label, values: dict) -> Row:
    received = values["received"]
    responded_24h, due = values["responded_24h"], values["response_due"]
    resolved, resolution_met = values["resolved"], values["resolution_met"]
    response_met, responded = values["response_met"], values["responded"]
    satisfaction = _mean(values["satisfaction_sum"], values["satisfied"])
    return Row(
        key=None if key is None else str(key), label=label, received=received,
        responded_24h=responded_24h, response_due=due,
        response_24h_rate=_rate(responded_24h, due),
        response_met=response_met, response_met_rate=_rate(response_met, responded),
        resolved=resolved, resolution_rate=_rate(resolved, received),
        resolution_met=resolution_met, resolution_met_rate=_rate(resolution_met, resolved),
        average_response_hours=_hours(_mean(values["response_seconds"],
                                            values["response_timed"])),
        average_resolution_hours=_hours(_mean(values["resolution_seconds"],
                                              values["resolution_timed"])),
        repeat=values["repeat"], reopened=values["reopened"],
        average_satisfaction=None if satisfaction is None else round(satisfaction, 2),
    )


def _by_received(rows: list) -> list:
    return sorted(rows, key=lambda row: (-row.received, row.key or ""))


def board(session: Session, scope: Scope, start: datetime, end: datetime,
          now: datetime | None = None, outlet_limit: int = 50) -> Board:
    """The figures of complaints received in [start, end): one statement sums the grouped
    complaints in total, by category and by outlet."""
    groups = _grouped(now or utcnow(), start, end, scope).cte("complaint_groups")
    rows: dict[str, list] = defaultdict(list)
    for found in session.execute(union_all(
        _breakdown(groups, "total"), _breakdown(groups, "category", groups.c.category),
        _breakdown(groups, "outlet", groups.c.outlet_id),
    )):
        rows[found.breakdown].append(found)
    # Ranked before rows are built: a company has two thousand outlets, the board shows 50.
    busiest = sorted(rows["outlet"], key=lambda found: (-found.received, found.key or ""))
    outlets = [_row(found.key, None, _sums(found)) for found in busiest[:outlet_limit]]
    names = {str(outlet_id): f"{code} {name}" for outlet_id, code, name, _region in
             outlet_choices(session)} if outlets else {}
    return Board(
        start, end, _row(None, None, _sums(rows["total"][0])),
        _by_received([_row(found.key, None, _sums(found)) for found in rows["category"]]),
        [replace(row, label=names.get(row.key)) for row in outlets],
    )


@outlet_registry.performance_figures
def performance_by_outlet(session: Session, first_day: date, last_day: date) -> dict[int, dict]:
    """Complaints received at each outlet in the period, and the share answered within 24
    hours (the outlet page limits the outlets to the reader's scope)."""
    start, end = local_period(first_day, last_day)
    groups = _grouped(utcnow(), start, end, Scope(everywhere=True)).subquery()
    rows = (_row(found.key, None, _sums(found)) for found in session.execute(
        _breakdown(groups, "outlet", groups.c.outlet_id).where(groups.c.outlet_id.is_not(None))))
    return {int(row.key): {"complaints": row.received,
                           "complaints_response_24h_rate": row.response_24h_rate}
            for row in rows}
