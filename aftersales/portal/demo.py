"""This morning's fault reports from the portal, sent as customers send them (the report
page's own service, acting as the customer): at the outlet covering each address, most
with a visit window booked, one with a photo."""

import io
from datetime import timedelta

import PIL.Image
from sqlalchemy.orm import Session

from aftersales.core import audit
from aftersales.core.clock import local_today, utcnow
from aftersales.outlets import services as outlet_services
from aftersales.portal import intake, settings
from aftersales.tickets import services as ticket_services

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


def load(session: Session) -> int:
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
