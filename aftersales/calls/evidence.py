"""Evidence providers of the hotline (clause 5.3.1.1): the answer rate in hotline hours
and the time to call back a missed call, from the hotline figures (aggregate queries)."""

from sqlalchemy import and_, select

from aftersales.calls import services
from aftersales.calls.models import UNANSWERED, Call
from aftersales.evidence.registry import Measure, provider, record_kind, record_link

record_link("calls", "calls_api.get_call", "call_id")
# The caller's number stays in the system: an auditor checks calls on site, not in the zip.
record_kind("calls", hidden=("caller_number",))


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
    """Average seconds from a missed call to the answered callback. Missed calls nobody
    has called back fail; if none was called back at all, the value is the whole period
    (a hotline that never calls back does not get 'no data')."""
    figures = _figures(session, period)
    if not figures.callbacks_due:
        return Measure(None)
    value = figures.callback_seconds_avg
    if value is None:
        value = int((period.end - period.start).total_seconds())
    missed = and_(_inbound(period), Call.outcome.in_(UNANSWERED))
    return Measure(
        float(value), figures.called_back, figures.callbacks_due,
        records=select(Call.id).where(missed).order_by(Call.id.desc()),
        failing=select(Call.id).where(missed, services.waiting_for_callback()).order_by(Call.id),
    )
