"""Demo staff (the demo users among them), certificates (some expiring soon, some
expired), the qualification rules, two annual plans and a year of training sessions with
sign-ins and exam scores."""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.training import jobs, services, sessions

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢"
            "宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
         "秀英", "华", "慧", "建国", "志强", "海燕", "晓东", "文博", "雪梅", "国庆", "春生", "子轩")
# username of a demo user -> (employee no., name, post, department, outlet, service management)
DEMO_STAFF = {
    "manager": ("E00001", "李静", "service_manager", "after_sales", None, True),
    "trainer": ("E00002", "周婷", "trainer", "after_sales", None, True),
    "technician": ("E00003", "赵强", "technician", "after_sales", "BJ-01", False),
    "dispatcher": ("E00004", "刘洋", "dispatcher", "after_sales", None, True),
    "dispatcher.sh": ("E00005", "陈晨", "dispatcher", "after_sales", "SH-01", True),
    "agent": ("E00006", "张敏", "agent", "customer_service", None, False),
    "handler": ("E00007", "孙丽", "supervisor", "supervision", None, True),
    "admin": ("E00008", "王磊", "other", "technical", None, False),
    "technician.bj": ("E00009", "郭鹏", "technician", "after_sales", "BJ-01", False),
    "technician.sh": ("E00010", "钱伟", "technician", "after_sales", "SH-01", False),
    "technician.sh2": ("E00011", "沈浩", "technician", "after_sales", "SH-01", False),
    "technician.gz": ("E00012", "黄俊", "technician", "after_sales", "GZ-01", False),
    "technician.wh": ("E00013", "胡斌", "technician", "after_sales", "WH-01", False),
    "technician.cd": ("E00014", "杨帆", "technician", "after_sales", "CD-01", False),
    "technician.xa": ("E00015", "马超", "technician", "after_sales", "XA-01", False),
}
RULES = (
    ("refrigeration", "air_conditioner", None, "制冷剂充注、焊接须持制冷作业证"),
    ("refrigeration", "refrigerator", "repair", "冰箱制冷系统维修"),
    ("height_work", "air_conditioner", "installation", "空调外机安装属登高作业"),
    ("electrician", None, "installation", "接电安装须持电工证"),
    ("electrician", None, "repair", "带电检修须持电工证"),
    ("gas", "water_heater", "installation", "燃气热水器安装"),
    ("gas", "gas_stove", None, "燃气灶具安装维修"),
)
ISSUERS = {
    "service_manager": "中国商业联合会",
    "electrician": "应急管理局",
    "refrigeration": "应急管理局",
    "gas": "住房和城乡建设局",
    "height_work": "应急管理局",
}
TOPICS = {
    "technical": ("变频空调故障诊断与维修", "冰箱制冷系统检漏与充注", "燃气热水器安装规范",
                  "滚筒洗衣机电控板维修", "净水器滤芯更换与水质检测", "安全用电与带电作业防护",
                  "空调外机高空安装安全规程"),
    "business": ("售后服务管理制度宣贯", "工单系统与派工流程", "备件管理与收费标准",
                 "投诉处理与升级流程", "GB/T 27922 售后服务认证要求解读"),
    "service_culture": ("以客户为中心的服务文化", "上门服务礼仪与沟通技巧",
                        "优秀服务案例分享会", "服务承诺与诚信经营"),
}
TRAINERS = ("周婷", "李静", "外聘讲师 何志远", "技术部 郭建华")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _number(rng: random.Random, prefix: str) -> str:
    return prefix + "".join(rng.choice("0123456789") for _ in range(12))


def _certify(session, rng, staff, kind: str, today: date, expires_in_days: int | None = None):
    if expires_in_days is None:
        expires_in_days = rng.randrange(200, 1500)
    expires_on = today + timedelta(days=expires_in_days)
    issued_on = min(expires_on - timedelta(days=rng.choice((3, 4, 6)) * 365), today)
    services.add_certificate(
        session, staff, type=kind, number=_number(rng, kind[:2].upper()),
        issuer=ISSUERS[kind], issued_on=issued_on, expires_on=expires_on,
    )


def _staff(session, rng, outlets, today):
    """The demo users' records first, then a believable enterprise around them."""
    people = []
    head = {}
    for username, (number, name, post, department, outlet, management) in DEMO_STAFF.items():
        user = core_services.find_user(session, username)
        head[username] = services.create_staff(
            session, employee_no=number, name=name, post=post, department=department,
            outlet_id=outlets[outlet].id if outlet else None, is_service_management=management,
            user_id=user.id, work_types=["repair", "installation"] if post == "technician" else (),
        )
    manager = head["manager"]
    for username in DEMO_STAFF:
        if username != "manager":
            services.update_staff(session, head[username], manager_id=manager.id)
    number = 100
    for code, outlet in outlets.items():
        lead = services.create_staff(
            session, employee_no=f"E{number:05d}", name=_name(rng), post="service_manager",
            department="after_sales", outlet_id=outlet.id, is_service_management=True,
            manager_id=manager.id,
        )
        number += 1
        people.append(lead)
        for position in range(rng.randrange(3, 6)):
            work = ["repair", "installation", "maintenance"] if position % 2 == 0 else [
                "repair", "maintenance"]
            people.append(services.create_staff(
                session, employee_no=f"E{number:05d}", name=_name(rng), post="technician",
                department="after_sales", outlet_id=outlet.id, manager_id=lead.id,
                work_types=work,
            ))
            number += 1
        if code.endswith("01") and rng.random() < 0.5:
            people.append(services.create_staff(
                session, employee_no=f"E{number:05d}", name=_name(rng), post="dispatcher",
                department="after_sales", outlet_id=outlet.id, is_service_management=True,
                manager_id=lead.id,
            ))
            number += 1
    for post, department in (("supervisor", "supervision"), ("supervisor", "supervision"),
                             ("agent", "customer_service"), ("agent", "customer_service"),
                             ("agent", "customer_service"), ("other", "quality")):
        people.append(services.create_staff(
            session, employee_no=f"E{number:05d}", name=_name(rng), post=post,
            department=department, is_service_management=post == "supervisor",
            manager_id=manager.id,
        ))
        number += 1
    return head, people


def _certificates(session, rng, head, people, today) -> None:
    _certify(session, rng, head["manager"], "service_manager", today, 700)
    _certify(session, rng, head["trainer"], "service_manager", today, 28)  # reminder due soon
    _certify(session, rng, head["handler"], "service_manager", today, -40)  # expired
    tech = head["technician"]
    _certify(session, rng, tech, "electrician", today, 85)
    _certify(session, rng, tech, "refrigeration", today, 400)
    _certify(session, rng, tech, "height_work", today, 6)
    for username, record in head.items():  # the other technicians who sign in: fully certified
        if username != "technician" and record.post == "technician":
            for kind in ("electrician", "refrigeration", "height_work", "gas"):
                _certify(session, rng, record, kind, today)
    leads = [p for p in people if p.post == "service_manager"]
    for lead in leads[:3]:
        _certify(session, rng, lead, "service_manager", today)
    for person in people:
        if person.post != "technician":
            continue
        for kind, chance in (("electrician", 0.9), ("refrigeration", 0.7), ("height_work", 0.6),
                             ("gas", 0.3)):
            if rng.random() < chance:
                roll = rng.random()
                days = (rng.randrange(-200, -1) if roll < 0.08 else
                        rng.randrange(1, 90) if roll < 0.2 else None)
                _certify(session, rng, person, kind, today, days)


def _sessions(session, rng, head, people, today) -> int:
    trainer_user = core_services.find_user(session, "trainer")
    plans = {}
    for year in (today.year - 1, today.year):
        plans[year] = sessions.create_plan(
            session, trainer_user.id, year=year, title=f"{year} 年度售后服务培训计划",
            content=("一、技术技能：每季度不少于 3 场，覆盖全部维修工程师；\n"
                     "二、业务技能：新制度、新流程宣贯；\n"
                     "三、服务文化：每季度 1 场，全员参加；\n"
                     "四、考试：技术类培训均安排考试，60 分及格。"),
            planned_sessions=28, planned_hours=80,
        )
    everyone = list(head.values()) + people
    technicians = [p for p in everyone if p.post == "technician"]
    now = utcnow()
    count = 0
    day = today - timedelta(days=365)
    while day < today + timedelta(days=20):
        day += timedelta(days=rng.randrange(10, 18))
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday())
        month = day.month
        kind = ("service_culture" if month % 3 == 0 and day.day < 17 else
                rng.choice(("technical", "technical", "business")))
        start = datetime.combine(day, time(rng.choice((9, 14)), 0), DEFAULT_ZONE)
        training = sessions.create_session(
            session, trainer_user.id, topic=rng.choice(TOPICS[kind]), kind=kind,
            trainer=rng.choice(TRAINERS), starts_at=start,
            ends_at=start + timedelta(hours=rng.choice((2, 3, 3, 4))),
            place=rng.choice(("总部培训中心 301", "总部培训中心 302", "线上会议室")),
            plan_id=plans[day.year].id if day.year in plans else None,
            pass_mark=60 if kind == "technical" else None,
        )
        count += 1
        pool = technicians if kind == "technical" else everyone
        trainees = rng.sample(pool, min(len(pool), rng.randrange(8, 16)))
        if kind == "technical" and head["technician"] not in trainees:
            trainees.append(head["technician"])
        sessions.enrol(session, training, [t.id for t in trainees])
        if training.starts_at > now:
            continue
        present = [t for t in trainees if rng.random() < 0.9]
        for trainee in present:  # those with a login scan the QR code, a few minutes early
            if trainee.user_id is not None:
                sessions.sign_in(session, training, trainee.user_id,
                                 now=training.starts_at - timedelta(minutes=rng.randrange(1, 15)))
        sessions.tick_roster(session, training, [t.id for t in present], now=training.starts_at)
        if training.pass_mark is not None:
            sessions.record_scores(session, training, {
                t.id: max(0, min(100, int(rng.gauss(80, 11)))) for t in present
            })
    return count


def load(session: Session, rng: random.Random, outlets: dict) -> tuple[int, int]:
    today = utcnow().astimezone(DEFAULT_ZONE).date()
    for kind, category, work_type, note in RULES:
        services.add_rule(session, certificate_type=kind, product_category=category,
                          work_type=work_type, note=note)
    head, people = _staff(session, rng, outlets, today)
    _certificates(session, rng, head, people, today)
    count = _sessions(session, rng, head, people, today)
    session.flush()
    jobs.remind_expiring_certificates(session, today)  # as the scheduler did this morning
    return len(head) + len(people), count
