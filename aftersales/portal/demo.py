"""The portal's demo, sent as customers send them (the pages' own services, acting as the
customer): this morning's fault reports at the outlet covering each address, most with a
visit window booked, one with a photo; and two complaints still waiting in the complaint
handler's queue, one from a customer on file about their own work order, one from someone
new (the customer's act in the audit trail, received when sent, an SMS each)."""

import io
from datetime import timedelta

import PIL.Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import audit
from aftersales.core.clock import local_today, utcnow
from aftersales.customers import services as customer_services
from aftersales.outlets import services as outlet_services
from aftersales.portal import complaint_intake, intake, settings
from aftersales.portal.models import AuthenticityCheck
from aftersales.tickets import queries as ticket_queries
from aftersales.tickets import services as ticket_services
from aftersales.tickets.labels import ticket_number

# (minutes ago, type, province, city, address, problem, name, phone, which offered window
# (None: no preference), with a photo?)
REPORTS = (
    (120, "repair", "上海市", "上海市", "浦东新区张杨路500号1201室", "空调开机十分钟后自动关机",
     "陈晓燕", "13755500001", 0, True),
    (75, "installation", "北京市", "北京市", "朝阳区望京西路48号3-502", "新买的热水器，请上门安装",
     "刘建国", "13755500002", 1, False),
    (45, "maintenance", "广东省", "广州市", "天河区体育西路191号", "油烟机清洗保养",
     "黄丽", "13755500003", None, False),
    (20, "repair", "上海市", "上海市", "徐汇区漕溪北路88号", "冰箱冷藏室不冷",
     "王志强", "13755500004", 2, False),
)


PHONE_BROWSER = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47")


def _photo() -> bytes:
    written = io.BytesIO()
    PIL.Image.new("RGB", (480, 360), (200, 120, 60)).save(written, "JPEG", quality=80)
    return written.getvalue()


def load_reports(session: Session) -> int:
    now, days = utcnow(), settings.current().booking_days
    with audit.acting_as(audit.PORTAL_CUSTOMER):
        for minutes_ago, kind, province, city, address, problem, name, phone, choice, photo \
                in REPORTS:
            at = now - timedelta(minutes=minutes_ago)
            outlet = ticket_services.covering_outlet_at(
                session, province, city, address, None, local_today())
            windows = outlet_services.open_windows(session, outlet.id, at, days)
            window = windows[choice].key if choice is not None and windows else ""
            intake.open_report(
                session, intake.Report(kind, "", province, city, address, problem, name, phone,
                                       window),
                outlet.id, [_photo()] if photo else [], days, at, PHONE_BROWSER)
    return len(REPORTS)


NEWCOMER = ("林晓雪", "13755550123", "other",
            "在官网看到以旧换新活动，到店却说活动已结束，页面上还挂着。希望给个说法。")
ON_FILE_TEXT = "师傅说好今天上午来，到现在没人联系，电话也打不通。"


def load_complaints(session: Session) -> int:
    with audit.acting_as(audit.PORTAL_CUSTOMER):
        complaint_intake.record_complaint(session, *_on_file(session), PHONE_BROWSER)
        name, phone, category, text = NEWCOMER
        complaint_intake.record_complaint(session, name, phone, "", category, text,
                                          PHONE_BROWSER)
    return 2


def _on_file(session: Session) -> tuple[str, str, str, str, str]:
    """The newest work order's customer, complaining about it by its number."""
    orders = ticket_queries.work_orders()
    ticket_id, customer_id = session.execute(
        select(orders.c.id, orders.c.customer_id).order_by(orders.c.id.desc()).limit(1)).one()
    customer = customer_services.get_customer(session, customer_id)
    return customer.name, customer.phone, ticket_number(ticket_id), "timeliness", ON_FILE_TEXT


def load_checks(session: Session) -> int:
    """Customers checking their warranty cards over the last four months: two a day, one
    in twenty a code that is none of ours."""
    now = utcnow()
    for number in range(240):
        session.add(AuthenticityCheck(at=now - timedelta(hours=12 * number + 3),
                                      genuine=number % 20 != 7))
    return 240

