"""Evidence providers of the hotline (clause 5.3.1.1): the answer rate in hotline hours
and the time to call back a missed call, from the hotline figures (aggregate queries)."""

from sqlalchemy import and_, func, or_, select

from aftersales.calls import services
from aftersales.calls.models import Call
from aftersales.core.clock import to_zone
from aftersales.core.types import epoch_seconds
from aftersales.evidence.compliance.registry import (
    Measure,
    provider,
    record_kind,
    record_link,
    record_names,
)

record_link("calls", "calls.call_log", "call")
# The caller's number stays in the system: an auditor checks calls on site, not in the zip.
record_kind("calls", hidden=("caller_number",))
# A call is known by when it came in (the caller's number is personal data).
record_names("calls", lambda session, ids: {
    call_id: f"{to_zone(queued_at):%Y-%m-%d %H:%M}" for call_id, queued_at in session.execute(
        select(Call.id, Call.queued_at).where(Call.id.in_(ids)))})


def _inbound(period):
    return and_(Call.direction == "inbound", Call.queued_at >= period.start,
                Call.queued_at < period.end)


def _figures(session, period):
    return period.shared("calls.figures", lambda: services.hotline_figures(
        session, period.start, period.end))


@provider("calls.answer_rate", record_type="calls")
def answer_rate(session, period, target):
    figures = _figures(session, period)
    in_hours = and_(_inbound(period), Call.within_hotline_hours.is_(True))
    return Measure(
        figures.answer_rate, figures.answered, figures.offered,
        records=select(Call.id).where(in_hours).order_by(Call.id.desc()),
        failing=select(Call.id).where(in_hours, Call.answered_at.is_(None)).order_by(Call.id),
    )


@provider("calls.callback_time", record_type="calls")
def callback_time(session, period, target):
    """Average seconds from a missed call to the callback that first reached the caller,
    over the missed calls called back; missed calls nobody has reached fail (and one marked
    called back without an answered callback counts as reached with no time). If none was
    called back at all, the value is the whole period (a hotline that never calls back
    does not get 'no data'). The records are every missed call of the period, each with
    when it was missed, when a callback reached the caller and the seconds between: the
    average of those seconds is the figure."""
    figures = _figures(session, period)
    if not figures.callbacks_due:
        return Measure(None)
    value = figures.callback_seconds_avg
    if value is None:
        value = int((period.end - period.start).total_seconds())
    missed = services.missed_calls(period.start, period.end).subquery()
    reached = or_(missed.c.reached_at.is_not(None), missed.c.outcome == "called_back")
    return Measure(
        float(value), figures.called_back, figures.callbacks_due,
        records=select(missed.c.id).order_by(missed.c.id.desc()),
        failing=select(missed.c.id).where(~reached).order_by(missed.c.id),
        detail=select(
            missed.c.id, missed.c.queued_at.label("missed_at"),
            missed.c.reached_at.label("callback_reached_at"),
            func.round(epoch_seconds(missed.c.reached_at) - epoch_seconds(missed.c.queued_at))
            .label("seconds_to_callback"),
        ),
    )
