"""Evidence providers of work orders: SLA met rates per kind of work (clocks past due
count, stopped or not), emergency arrival proven by GPS within the rubric's limit,
customer sign-off, paid work charged within the accepted quote, warranty honoured by the
sold unit's warranty, loaners for long repairs. Each is one aggregate query over the work
orders of the period (indexed time columns); each metric's own figures (hours, charges)
go to the package beside its records."""

from datetime import timedelta

from sqlalchemy import and_, case, exists, func, or_, select

from aftersales.core.types import epoch_seconds, hours_between, local_date, local_month
from aftersales.customers import attestations
from aftersales.customers import queries as customer_queries
from aftersales.evidence.compliance.registry import (
    Measure,
    Period,
    provider,
    record_kind,
    record_link,
    record_names,
)
from aftersales.tickets import record_sheet
from aftersales.tickets.models import LoanerLoan, Signoff, Ticket, TicketPart

TABLES = ("tickets", "ticket_parts", "ticket_signoffs")
record_link("tickets", "tickets.show", "ticket_id")
record_names("tickets", lambda session, ids: {i: Ticket(id=i).number for i in ids})


def _closed_in(period: Period):
    """Service cases an audit samples: the work orders closed in the period."""
    return select(Ticket.id, Ticket.outlet_id, local_month(Ticket.closed_at)).where(
        Ticket.state == "closed", Ticket.closed_at >= period.start, Ticket.closed_at < period.end
    )


record_kind("tickets", label_zh="服务工单", label_en="Work orders", population=_closed_in,
            sheets_data=record_sheet.sheets_data, sheet_pdf=record_sheet.sheet_pdf)


def _clock_terms(period: Period, met, stopped_at, due_at):
    """(the work orders a clock figure counts, those that pass it). A clock counts in the
    period it stopped in, met or not; a clock that fell due in the period (before the
    moment the figures are taken) and had not stopped by the period's end counts there as
    failed: a clock past due is a failure whether or not it has stopped. Cancelled work
    orders are left out of the second group (their clock ended with them). Each work order
    is counted once per figure."""
    stopped = and_(stopped_at >= period.start, stopped_at < period.end, met.is_not(None))
    overdue = and_(
        due_at >= period.start, due_at < period.end, due_at < period.now(),
        or_(stopped_at.is_(None), stopped_at >= period.end), Ticket.state != "cancelled",
    )
    return or_(stopped, overdue), and_(stopped, met.is_(True))


def _clock_measure(passed_count: int, checked: int, base, passed) -> Measure:
    return Measure.share(
        passed_count, checked,
        records=select(Ticket.id).where(base).order_by(Ticket.id.desc()),
        failing=select(Ticket.id).where(base, ~passed).order_by(Ticket.id),
    )


@provider("tickets.response_sla", record_type="tickets", tables=TABLES)
def response_sla(session, period, target):
    base, passed = _clock_terms(period, Ticket.response_met, Ticket.responded_at,
                                Ticket.response_due_at)
    checked, passed_count = session.execute(
        select(func.count(), func.count(case((passed, 1)))).where(base)
    ).one()
    return _clock_measure(passed_count, checked, base, passed)


def _resolution_terms(period: Period):
    return _clock_terms(period, Ticket.resolution_met, Ticket.resolved_at,
                        Ticket.resolution_due_at)


def _resolutions_by_type(session, period: Period) -> dict[str, tuple[int, int]]:
    """Per kind of work: (checked, passed) resolution clocks. The resolution figures (all
    work orders and each kind) share this one scan of the period's work orders."""
    base, passed = _resolution_terms(period)
    rows = session.execute(
        select(Ticket.type, func.count(), func.count(case((passed, 1))))
        .where(base).group_by(Ticket.type)
    )
    return {kind: (checked, passed_count) for kind, checked, passed_count in rows}


def _resolution(kind: str | None = None):
    def measure(session, period, target):
        counts = period.shared("tickets.resolutions_by_type",
                               lambda: _resolutions_by_type(session, period))
        if kind is None:
            checked = sum(checked for checked, _passed in counts.values())
            passed_count = sum(passed for _checked, passed in counts.values())
        else:
            checked, passed_count = counts.get(kind, (0, 0))
        base, passed = _resolution_terms(period)
        if kind is not None:
            base = and_(base, Ticket.type == kind)
        return _clock_measure(passed_count, checked, base, passed)

    return measure


provider("tickets.resolution_sla", record_type="tickets", tables=TABLES)(_resolution())
for _key, _type in (
    ("tickets.installation_sla", "installation"),
    ("tickets.maintenance_sla", "maintenance"),
    ("tickets.delivery_sla", "delivery"),
    ("tickets.return_sla", "return"),
    ("tickets.recycling_sla", "recycling"),
):
    provider(_key, record_type="tickets", tables=TABLES)(_resolution(_type))


@provider("tickets.emergency_arrival", record_type="tickets",
          tables=TABLES + ("ticket_stamps",))
def emergency_arrival(session, period, target):
    """Emergencies reported in the period: passed when a GPS stamp inside the geofence
    proves the technician on site within the rubric's limit (2 clock hours by default)
    from the report. One without a proven arrival fails once its limit has passed by the
    moment the figures are taken; a desk-typed arrival proves nothing."""
    limit = period.limit_hours("tickets.emergency_arrival") * 3600
    arrived = Ticket.arrival_verified_at
    base = and_(
        Ticket.priority == "emergency", Ticket.received_at >= period.start,
        Ticket.received_at < period.end,
        or_(arrived.is_not(None),
            Ticket.received_at < period.now() - timedelta(seconds=limit)),
        or_(arrived.is_not(None), Ticket.state != "cancelled"),
    )
    in_time = and_(arrived.is_not(None),
                   epoch_seconds(arrived) - epoch_seconds(Ticket.received_at) <= limit)
    checked, passed = session.execute(
        select(func.count(), func.count(case((in_time, 1)))).where(base)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(Ticket.id).where(base).order_by(Ticket.id.desc()),
        failing=select(Ticket.id).where(base, ~in_time).order_by(Ticket.id),
        detail=select(Ticket.id, Ticket.received_at.label("reported_at"),
                      arrived.label("arrival_proven_at"),
                      hours_between(arrived, Ticket.received_at).label("hours_to_arrival"))
        .where(base),
    )


def _resolved_in(period: Period):
    return and_(
        Ticket.resolved_at >= period.start, Ticket.resolved_at < period.end,
        Ticket.state.in_(("resolved", "closed")),
    )


def _confirmed_by_customer(step: str):
    """When the customer confirmed the step from their own phone (customer_acts): shown
    beside what staff recorded, as the stronger evidence."""
    return attestations.first_confirmed_at("ticket", step, Ticket.id)


@provider("tickets.signoff_share", record_type="tickets", tables=TABLES + ("customer_acts",))
def signoff_share(session, period, target):
    """Work orders resolved in the period that the customer signed off (on the
    technician's device), each with when the customer confirmed the work done from their
    own phone, if they did."""
    base = _resolved_in(period)
    signed = exists().where(Signoff.ticket_id == Ticket.id)
    checked, passed = session.execute(
        select(func.count(), func.count(case((signed, 1)))).where(base)
    ).one()
    signed_at = select(func.min(Signoff.signed_at)).where(Signoff.ticket_id == Ticket.id) \
        .correlate_except(Signoff).scalar_subquery()
    return Measure.share(
        passed, checked,
        records=select(Ticket.id).where(base).order_by(Ticket.id.desc()),
        failing=select(Ticket.id).where(base, ~signed).order_by(Ticket.id),
        detail=select(Ticket.id, signed_at.label("signed_off_at"),
                      _confirmed_by_customer("confirm_completion")
                      .label("customer_confirmed_on_own_phone_at")),
    )


def _charges(period: Period):
    """Per work order resolved in the period with charged parts: what was charged (fen)
    and when the first charged part was used."""
    return (
        select(TicketPart.ticket_id.label("id"),
               func.sum(TicketPart.quantity * TicketPart.unit_price_fen).label("charged_fen"),
               func.min(TicketPart.used_at).label("first_charged_at"))
        .join(Ticket, Ticket.id == TicketPart.ticket_id)
        .where(_resolved_in(period), TicketPart.charged.is_(True))
        .group_by(TicketPart.ticket_id)
        .subquery()
    )


@provider("tickets.quote_before_paid_work", record_type="tickets",
          tables=("tickets", "ticket_parts", "customer_acts"))
def quote_before_paid_work(session, period, target):
    """Paid work orders resolved in the period: passed when the customer accepted the
    quote in force and was charged no more than it. Parts are charged only after the quote
    in force was accepted (the service refuses otherwise) and a new quote needs a new
    acceptance, so a re-quote the customer accepted is the one compared with."""
    paid = _charges(period)
    quoted = select(paid.c.id, Ticket.quote_fen, Ticket.quote_accepted_at, paid.c.charged_fen,
                    paid.c.first_charged_at).join(Ticket, Ticket.id == paid.c.id)
    ok = and_(Ticket.quote_accepted_at.is_not(None), paid.c.charged_fen <= Ticket.quote_fen)
    checked, passed = session.execute(
        select(func.count(), func.count(case((ok, 1)))).select_from(paid)
        .join(Ticket, Ticket.id == paid.c.id)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(paid.c.id).order_by(paid.c.id.desc()),
        failing=quoted.with_only_columns(paid.c.id).where(~ok).order_by(paid.c.id),
        detail=quoted.with_only_columns(
            paid.c.id, Ticket.quote_fen.label("accepted_quote_fen"),
            Ticket.quote_accepted_at.label("quote_accepted_at"),
            _confirmed_by_customer("accept_quote").label("accepted_on_own_phone_at"),
            paid.c.charged_fen.label("charged_fen"),
            paid.c.first_charged_at.label("first_charged_at")),
    )


@provider("tickets.warranty_honoured", record_type="tickets",
          tables=("tickets", "ticket_parts", "serial_numbers"))
def warranty_honoured(session, period, target):
    """Work orders resolved in the period for a product under warranty on the day it was
    reported (by the sold unit's warranty, or taken in as in warranty): passed when it was
    handled as warranty work and nothing was charged. A unit still under warranty that was
    recorded as out of warranty and charged fails."""
    unit = customer_queries.sold_units()
    covered = and_(unit.c.warranty_expires_on.is_not(None),
                   unit.c.warranty_expires_on >= local_date(Ticket.received_at))
    charged = exists().where(TicketPart.ticket_id == Ticket.id, TicketPart.charged.is_(True))
    base = and_(_resolved_in(period), or_(covered, Ticket.warranty_status == "in_warranty"))
    honoured = and_(Ticket.warranty_status == "in_warranty", ~charged)
    joined = select(Ticket.id).outerjoin(unit, unit.c.id == Ticket.serial_id)
    checked, passed = session.execute(
        joined.with_only_columns(func.count(), func.count(case((honoured, 1)))).where(base)
    ).one()
    charged_fen = (
        select(func.coalesce(func.sum(TicketPart.quantity * TicketPart.unit_price_fen), 0))
        .where(TicketPart.ticket_id == Ticket.id, TicketPart.charged.is_(True))
        .scalar_subquery()
    )
    return Measure.share(
        passed, checked,
        records=joined.where(base).order_by(Ticket.id.desc()),
        failing=joined.where(base, ~honoured).order_by(Ticket.id),
        detail=joined.add_columns(unit.c.warranty_expires_on.label("warranty_until"),
                                  Ticket.warranty_status.label("handled_as"),
                                  charged_fen.label("charged_fen")).where(base),
    )


@provider("tickets.loaners_for_long_repairs", record_type="tickets",
          tables=("tickets", "loaner_loans"))
def loaners_for_long_repairs(session, period, target):
    """Repairs that took longer than the rubric's limit (72 clock hours by default) —
    resolved in the period after longer than that, or still open at the period's end that
    long after their report — and those past their resolution due time: passed when a
    loaner was lent for the work order (5.2.4.6). No long repair: no data."""
    limit = timedelta(hours=period.limit_hours("tickets.loaners_for_long_repairs"))
    until = min(period.end, period.now())
    took_long = or_(
        epoch_seconds(Ticket.resolved_at) - epoch_seconds(Ticket.received_at)
        > limit.total_seconds(),
        Ticket.resolution_met.is_(False),
    )
    resolved_long = and_(_resolved_in(period), took_long)
    open_long = and_(
        Ticket.state.not_in(("resolved", "closed", "cancelled")) | (Ticket.resolved_at >= until),
        or_(Ticket.received_at < until - limit,
            and_(Ticket.resolution_due_at >= period.start, Ticket.resolution_due_at < until)),
        Ticket.received_at < until,
    )
    base = and_(Ticket.type == "repair", or_(resolved_long, open_long))
    lent = exists().where(LoanerLoan.ticket_id == Ticket.id)
    checked, passed = session.execute(
        select(func.count(), func.count(case((lent, 1)))).where(base)
    ).one()
    if not checked:
        return Measure(None)
    return Measure.share(
        passed, checked,
        records=select(Ticket.id).where(base).order_by(Ticket.id.desc()),
        failing=select(Ticket.id).where(base, ~lent).order_by(Ticket.id),
        detail=select(Ticket.id, Ticket.received_at.label("reported_at"),
                      Ticket.resolved_at.label("resolved_at"),
                      case((lent, True), else_=False).label("loaner_lent")).where(base),
    )
