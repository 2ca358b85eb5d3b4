"""Demo: two complaints sent from the portal this morning, as customers send them (the
customer's act in the audit trail, received when sent, an SMS each), still waiting in the
complaint handler's queue: one from a customer on file about their own work order, one
from someone new."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import audit
from aftersales.customers import services as customer_services
from aftersales.portal import complaint_intake
from aftersales.tickets import queries as ticket_queries
from aftersales.tickets.labels import ticket_number

NEWCOMER = ("林晓雪", "13755550123", "other",
            "在官网看到以旧换新活动，到店却说活动已结束，页面上还挂着。希望给个说法。")
DEMO_BROWSER = "Mozilla/5.0 (iPhone) MicroMessenger/8.0"  # WeChat's browser on a phone
ON_FILE_TEXT = "师傅说好今天上午来，到现在没人联系，电话也打不通。"


def load(session: Session) -> int:
    with audit.acting_as(audit.CUSTOMER_ON_PORTAL):
        complaint_intake.record_complaint(session, *_on_file(session), DEMO_BROWSER)
        name, phone, category, text = NEWCOMER
        complaint_intake.record_complaint(session, name, phone, "", category, text,
                                          DEMO_BROWSER)
    return 2


def _on_file(session: Session) -> tuple[str, str, str, str, str]:
    """The newest work order's customer, complaining about it by its number."""
    orders = ticket_queries.work_orders()
    ticket_id, customer_id = session.execute(
        select(orders.c.id, orders.c.customer_id).order_by(orders.c.id.desc()).limit(1)).one()
    customer = customer_services.get_customer(session, customer_id)
    return customer.name, customer.phone, ticket_number(ticket_id), "timeliness", ON_FILE_TEXT
