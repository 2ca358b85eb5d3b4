"""`aftersales demo load`: a believable enterprise, built through the same services
as real use (so the audit trail records it). Each module contributes its own part."""

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.calendar import demo as calendar_demo
from aftersales.calls import demo as calls_demo
from aftersales.complaints import demo as complaints_demo
from aftersales.core import services as core_services
from aftersales.core.models import User
from aftersales.customers import demo as customers_demo
from aftersales.evidence import demo as evidence_demo
from aftersales.meetings import demo as meetings_demo
from aftersales.outlets import demo as outlets_demo
from aftersales.portal import demo as portal_demo
from aftersales.tickets import demo as tickets_demo
from aftersales.training import demo as training_demo
from aftersales.visits import demo as visits_demo

DEMO_PASSWORD = "demo-pass-2026"

# username, name, roles, outlet code the roles are scoped to (None: whole enterprise)
DEMO_USERS = (
    ("admin", "系统管理员 王磊", ("admin",), None),
    ("manager", "售后经理 李静", ("manager",), None),
    ("agent", "客服专员 张敏", ("agent",), None),
    ("dispatcher", "调度员 刘洋", ("dispatcher",), None),
    ("dispatcher.sh", "上海调度员 陈晨", ("dispatcher",), "SH-01"),
    ("technician", "维修工程师 赵强", ("technician",), "BJ-01"),
    ("technician.bj", "维修工程师 郭鹏", ("technician",), "BJ-01"),
    ("technician.sh", "维修工程师 钱伟", ("technician",), "SH-01"),
    ("technician.sh2", "维修工程师 沈浩", ("technician",), "SH-01"),
    ("technician.gz", "维修工程师 黄俊", ("technician",), "GZ-01"),
    ("technician.wh", "维修工程师 胡斌", ("technician",), "WH-01"),
    ("technician.cd", "维修工程师 杨帆", ("technician",), "CD-01"),
    ("technician.xa", "维修工程师 马超", ("technician",), "XA-01"),
    ("handler", "投诉专员 孙丽", ("complaint_handler",), None),
    ("trainer", "培训主管 周婷", ("trainer",), None),
    ("auditor", "认证审核员 吴昊", ("auditor",), None),
)


def database_is_empty(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is None


def has_demo_users(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.username == DEMO_USERS[0][0])) is not None


def load(session: Session, scale: int = 1) -> list[str]:
    rng = random.Random(27922)  # fixed seed: the same demo every time
    outlets = outlets_demo.load(session, rng)
    for username, name, roles, outlet_code in DEMO_USERS:
        outlet_id = outlets[outlet_code].id if outlet_code else None
        core_services.create_user(
            session, username, name, DEMO_PASSWORD,
            [core_services.GrantSpec(role, outlet_id=outlet_id) for role in roles],
        )
    customers, products, serials = customers_demo.load(session, rng, scale)
    tickets = tickets_demo.load(session, rng, scale, outlets, technicians_by_outlet())
    tickets += portal_demo.load_reports(session)
    visits = visits_demo.load(session, rng)
    calls = calls_demo.load(session, rng, scale)
    staff, training_sessions = training_demo.load(session, rng, outlets)
    complaints = complaints_demo.load(session, rng, scale, outlets)
    complaints += portal_demo.load_complaints(session)
    portal_demo.load_checks(session)
    meetings = meetings_demo.load(session)
    documents = evidence_demo.load(session, rng)
    round_the_clock = calendar_demo.load(session, outlets)
    return [
        f"demo loaded: {len(DEMO_USERS)} users, {len(outlets)} outlets, "
        f"{customers} customers, {products} products, {serials} sold units, "
        f"{tickets} work orders, {visits} return visits, {calls} hotline calls, "
        f"{staff} staff, {training_sessions} training sessions, {complaints} complaints, "
        f"{meetings} customer meetings, "
        f"{documents} managed documents, {evidence_demo.WEEKS + 1} compliance snapshots and "
        f"{round_the_clock} outlets keeping 24-hour working hours",
        *login_lines(),
    ]


def technicians_by_outlet() -> dict[str, list[str]]:
    """The outlets whose technicians sign in (the demo's field network), with their logins."""
    crews: dict[str, list[str]] = {}
    for username, _name, roles, outlet_code in DEMO_USERS:
        if "technician" in roles:
            crews.setdefault(outlet_code, []).append(username)
    return crews


def login_lines() -> list[str]:
    return [f"  login {username:<14} password {DEMO_PASSWORD}" for username, *_ in DEMO_USERS]
