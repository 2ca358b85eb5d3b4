"""Evidence providers of work orders: SLA met rates per kind of work, emergency arrival,
customer sign-off, quotes accepted before paid work, warranty honoured. Each is one
aggregate query over the work orders of the period (indexed time columns)."""

from sqlalchemy import and_, case, exists, func, select

from aftersales.core.types import local_month
from aftersales.evidence.registry import Measure, Period, provider, record_kind, record_link
from aftersales.tickets import record_sheet
from aftersales.tickets.models import Signoff, Ticket, TicketPart

TABLES = ("tickets", "ticket_parts", "ticket_signoffs")
record_link("tickets", "tickets.show", "ticket_id")


def _closed_in(period: Period):
    """Service cases an audit samples: the work orders closed in the period."""
    return select(Ticket.id, Ticket.outlet_id, local_month(Ticket.closed_at)).where(
        Ticket.state == "closed", Ticket.closed_at >= period.start, Ticket.closed_at < period.end
    )


record_kind("tickets", label_zh="服务工单", label_en="Work orders", population=_closed_in,
            sheet_data=record_sheet.sheet_data, sheet_pdf=record_sheet.sheet_pdf)


def _met_share(session, period: Period, met, moment, *conditions) -> Measure:
    """Of the work orders whose clock stopped in the period, the share that met it."""
    base = and_(moment >= period.start, moment < period.end, met.is_not(None), *conditions)
    checked, passed = session.execute(
        select(func.count(), func.count(case((met.is_(True), 1)))).where(base)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(Ticket.id).where(base).order_by(Ticket.id.desc()),
        failing=select(Ticket.id).where(base, met.is_(False)).order_by(Ticket.id),
    )


@provider("tickets.response_sla", record_type="tickets", tables=TABLES)
def response_sla(session, period, target):
    return _met_share(session, period, Ticket.response_met, Ticket.received_at)


@provider("tickets.resolution_sla", record_type="tickets", tables=TABLES)
def resolution_sla(session, period, target):
    return _met_share(session, period, Ticket.resolution_met, Ticket.resolved_at)


def _typed(ticket_type: str):
    def measure(session, period, target):
        return _met_share(session, period, Ticket.resolution_met, Ticket.resolved_at,
                          Ticket.type == ticket_type)

    return measure


for _key, _type in (
    ("tickets.installation_sla", "installation"),
    ("tickets.maintenance_sla", "maintenance"),
    ("tickets.delivery_sla", "delivery"),
    ("tickets.return_sla", "return"),
    ("tickets.recycling_sla", "recycling"),
):
    provider(_key, record_type="tickets", tables=TABLES)(_typed(_type))


@provider("tickets.emergency_arrival", record_type="tickets", tables=TABLES)
def emergency_arrival(session, period, target):
    """Emergencies reported in the period whose arrival clock stopped: on site in 2 h."""
    return _met_share(session, period, Ticket.arrival_met, Ticket.received_at,
                      Ticket.priority == "emergency")


def _resolved_in(period: Period):
    return and_(
        Ticket.resolved_at >= period.start, Ticket.resolved_at < period.end,
        Ticket.state.in_(("resolved", "closed")),
    )


@provider("tickets.signoff_share", record_type="tickets", tables=TABLES)
def signoff_share(session, period, target):
    """Work orders resolved in the period that the customer signed off."""
    base = _resolved_in(period)
    signed = exists().where(Signoff.ticket_id == Ticket.id)
    checked, passed = session.execute(
        select(func.count(), func.count(case((signed, 1)))).where(base)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(Ticket.id).where(base).order_by(Ticket.id.desc()),
        failing=select(Ticket.id).where(base, ~signed).order_by(Ticket.id),
    )


@provider("tickets.quote_before_paid_work", record_type="tickets", tables=TABLES)
def quote_before_paid_work(session, period, target):
    """Work orders resolved in the period with charged parts: passed when the customer
    accepted a quote before the first charged part was used."""
    paid = (
        select(Ticket.id.label("id"), Ticket.quote_accepted_at.label("accepted"),
               func.min(TicketPart.used_at).label("first_used"))
        .join(TicketPart, TicketPart.ticket_id == Ticket.id)
        .where(_resolved_in(period), TicketPart.charged.is_(True))
        .group_by(Ticket.id, Ticket.quote_accepted_at)
        .subquery()
    )
    ok = and_(paid.c.accepted.is_not(None), paid.c.accepted <= paid.c.first_used)
    checked, passed = session.execute(
        select(func.count(), func.count(case((ok, 1)))).select_from(paid)
    ).one()
    return Measure.share(
        passed, checked,
        records=select(paid.c.id).order_by(paid.c.id.desc()),
        failing=select(paid.c.id).where(~ok).order_by(paid.c.id),
    )


@provider("tickets.warranty_honoured", record_type="tickets", tables=TABLES)
def warranty_honoured(session, period, target):
    """In-warranty work orders resolved in the period: failed when a part was charged."""
    base = and_(_resolved_in(period), Ticket.warranty_status == "in_warranty")
    charged = exists().where(TicketPart.ticket_id == Ticket.id, TicketPart.charged.is_(True))
    checked, failed = session.execute(
        select(func.count(), func.count(case((charged, 1)))).where(base)
    ).one()
    return Measure.share(
        checked - failed, checked,
        records=select(Ticket.id).where(base).order_by(Ticket.id.desc()),
        failing=select(Ticket.id).where(base, charged).order_by(Ticket.id),
    )
