"""A year of complaints, walked through the real services with past times: most answered
within hours, a few late (breached), some paused while waiting for the customer, a few
refused and reopened, some closed without confirmation or attachments (archive gaps),
the latest still open in the queue. The ladder then runs once for the open ones."""

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.complaints import jobs, mediators, services
from aftersales.complaints.models import CHANNELS
from aftersales.core import services as core_services
from aftersales.core.clock import DEFAULT_ZONE, local_today, utcnow
from aftersales.customers import services as customer_services
from aftersales.customers.demo import GIVEN, PLACES, SURNAMES
from aftersales.tickets import queries as ticket_queries

DAYS = 365
PER_DAY = 1.6
CHANNEL_WEIGHTS = (45, 20, 8, 10, 10, 7)  # hotline, portal, email, on site, social, 12315
COMPLAINTS = {
    "product_quality": ("新买的空调三天就不制冷", "冰箱冷藏室结冰，换过一次还是这样",
                        "热水器出水忽冷忽热"),
    "repair_quality": ("维修后一周又坏了", "师傅修完后外机漏水", "同一故障第三次上门"),
    "service_attitude": ("客服电话里态度恶劣", "师傅上门不穿鞋套，态度差"),
    "timeliness": ("约好上午上门，下午才到", "报修五天无人联系", "配件等了两周还没到"),
    "fees": ("保修期内被收取上门费", "收费与报价不符", "配件价格比官网贵"),
    "delivery_installation": ("安装打孔位置错误", "送货时外包装破损"),
    "other": ("发票一直没有开", "以旧换新补贴未到账"),
}
CATEGORY_WEIGHTS = (22, 25, 10, 20, 12, 7, 4)
ROOT_CAUSES = ("压缩机批次缺陷", "工程师未按规范排空", "配件库存不足", "网点调度失误",
               "收费标准执行错误", "客服话术培训不足")
REPEAT_SHARE = 0.12  # complaints from a customer who complained before
PDF = b"%PDF-1.4\n% complaint letter (demo)\n%%EOF\n"


def _moment(rng: random.Random, day: datetime) -> datetime:
    local = day.astimezone(DEFAULT_ZONE).date()
    hour = rng.choices(range(7, 23), weights=[2, 5, 8, 9, 8, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1])[0]
    return datetime.combine(local, time(hour), DEFAULT_ZONE) + timedelta(
        seconds=rng.randrange(3600))


def _complainant(session: Session, rng: random.Random, earlier: list[int]) -> int:
    """Mostly a customer new to complaints (created here: the demo's customer base is
    small), sometimes one who has complained before."""
    if earlier and rng.random() < REPEAT_SHARE:
        return rng.choice(earlier)
    province, city, districts, streets = rng.choice(PLACES)
    customer = customer_services.create_customer(
        session, "person", rng.choice(SURNAMES) + rng.choice(GIVEN),
        f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}", province, city,
        f"{rng.choice(districts)}{rng.choice(streets)}{rng.randrange(1, 999)}号",
    )
    return customer.id


def load(session: Session, rng: random.Random, scale: int, outlets: dict) -> int:
    agent = core_services.find_user(session, "agent")
    handler = core_services.find_user(session, "handler")
    complainants: list[int] = []
    orders = ticket_queries.work_orders()
    tickets = session.execute(
        select(orders.c.id, orders.c.customer_id, orders.c.outlet_id).order_by(orders.c.id)
    ).all()
    outlet_ids = [outlet.id for outlet in outlets.values()]
    categories = list(COMPLAINTS)
    now = utcnow()
    count = 0
    for day_offset in range(DAYS, 0, -1):
        day = now - timedelta(days=day_offset)
        for _ in range(int(PER_DAY * scale + rng.random())):
            received = _moment(rng, day)
            if received >= now - timedelta(minutes=30):
                continue
            category = rng.choices(categories, CATEGORY_WEIGHTS)[0]
            ticket_id, customer_id, outlet_id = None, None, rng.choice(outlet_ids)
            if tickets and category in ("repair_quality", "timeliness", "fees") and \
                    rng.random() < 0.6:
                ticket_id, customer_id, ticket_outlet = rng.choice(tickets)
                outlet_id = ticket_outlet or outlet_id
            if customer_id is None:
                customer_id = _complainant(session, rng, complainants)
            complainants.append(customer_id)
            text = rng.choice(COMPLAINTS[category])
            entered = min(received + timedelta(minutes=rng.randrange(2, 180)), now)
            complaint = services.open_complaint(session, agent, services.Intake(
                channel=rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0], category=category,
                severity=rng.choices(("critical", "serious", "normal", "minor"),
                                     (3, 12, 70, 15))[0],
                customer_id=customer_id, summary=text,
                description=text + "，要求尽快处理并给出说法。",
                received_at=received, received_by_id=agent.id, ticket_id=ticket_id,
                outlet_id=outlet_id, handler_id=handler.id,
                external_ref=f"12315-{rng.randrange(10**8):08d}" if rng.random() < 0.05 else None,
            ), now=entered)
            _walk(session, rng, complaint, entered, now, handler)
            count += 1
    jobs.escalate(session, now)
    _appoint_mediators(session, handler)
    return count


def _appoint_mediators(session, handler) -> None:
    """The complaint handler has mediated since the demo's first day; the manager joined
    as a second mediator two months ago."""
    manager = core_services.find_user(session, "manager")
    today = local_today()
    mediators.appoint(session, manager, handler.id, today - timedelta(days=DAYS),
                      "售后〔2025〕3号 服务调解人员任命")
    mediators.appoint(session, manager, manager.id, today - timedelta(days=60),
                      "售后〔2026〕11号 增设服务调解人员")


def _walk(session, rng, complaint, at, now, handler) -> None:
    """Respond, maybe wait for the customer, resolve, confirm: as far as `now` allows."""
    fresh = now - at < timedelta(days=2)
    if fresh and rng.random() < 0.4:
        return  # still in the queue, unanswered
    late = rng.random() < 0.07
    at += (timedelta(hours=rng.uniform(25, 40)) if late
           else timedelta(minutes=rng.randrange(20, 900)))
    if at >= now:
        return
    services.acknowledge(session, complaint, handler, "已致电客户致歉，说明处理流程和时限。",
                         now=at)
    if rng.random() < 0.3:
        services.add_note(session, complaint, handler, "已调取维修记录，联系网点核实。",
                          now=at + timedelta(hours=2))
    if rng.random() < (0.5 if fresh else 0.15):
        at += timedelta(hours=rng.randrange(2, 24))
        if at >= now:
            return
        services.pause(session, complaint, handler, "等待客户提供照片和发票", now=at)
        at += timedelta(hours=rng.randrange(6, 72))
        if at >= now:
            return
        services.resume(session, complaint, handler, now=at)
    at += timedelta(hours=rng.uniform(20, 150) if rng.random() < 0.9 else rng.uniform(170, 260))
    if at >= now:
        return
    if rng.random() < 0.75:
        services.attach(session, complaint, handler, "客户投诉函.pdf", PDF, now=at)
    services.resolve(session, complaint, handler, services.Resolution(
        resolution=rng.choice(("上门更换整机", "免费更换配件并重新安装", "退还多收费用",
                               "安排资深工程师复修")),
        root_cause=rng.choice(ROOT_CAUSES),
        corrective_action=rng.choice(("该批次全部复检", "组织网点规范培训", "调整备件安全库存",
                                      None)),
        compensation_fen=rng.choice((0, 0, 0, 5000, 10000, 20000)),
    ), now=at)
    if rng.random() < 0.04:
        services.mediate(session, complaint, handler, "市消费者协会 王调解员",
                         "双方同意更换整机并补偿200元。", now=at)
    at += timedelta(hours=rng.randrange(4, 72))
    if at >= now:
        return
    roll = rng.random()
    if roll < 0.05:
        services.confirm(session, complaint, handler, False, 2, "问题仍未解决", now=at)
        _walk(session, rng, complaint, at, now, handler)
    elif roll < 0.12:
        services.close(session, complaint, handler, "客户多次联系不上", now=at)
    else:
        score = rng.choices((5, 4, 3, 2), (50, 35, 10, 5))[0]
        services.confirm(session, complaint, handler, True, score,
                         rng.choice(("满意", "处理及时", None)), now=at)
