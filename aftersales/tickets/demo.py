"""Half a year of work orders, walked through the real state machine with past times."""

import io
import math
import random
from datetime import datetime, timedelta

import PIL.Image
import PIL.ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.permissions import Scope
from aftersales.customers import services as customer_services
from aftersales.customers.models import SerialNumber
from aftersales.tickets import field_work, loaners, services
from aftersales.tickets.services import Move

DAYS = 180
PER_DAY = 4
PROBLEMS = {
    "repair": ("不制冷，外机不转", "开机后跳闸", "漏水", "显示故障代码E4", "噪音很大", "不加热"),
    "installation": ("新机安装，需打孔", "上门安装调试", "移机安装"),
    "maintenance": ("年度清洗保养", "更换滤芯", "安全检查"),
    "delivery": ("送货上门并拆箱验机",),
    "return": ("七天无理由退货，需上门取件", "质量问题换货"),
    "recycling": ("以旧换新，回收旧机",),
}
TYPE_WEIGHTS = (("repair", 60), ("installation", 15), ("maintenance", 10), ("delivery", 6),
                ("return", 5), ("recycling", 4))


def _path(rng: random.Random) -> list[tuple[str, timedelta]]:
    """The steps a work order took, each after a believable delay."""
    steps = [("assigned", timedelta(minutes=rng.randrange(10, 240))),
             ("dispatched", timedelta(minutes=rng.randrange(5, 60))),
             ("on_site", timedelta(minutes=rng.randrange(40, 300)))]
    if rng.random() < 0.15:
        steps += [("waiting_parts", timedelta(minutes=rng.randrange(20, 90))),
                  ("on_site", timedelta(days=rng.randrange(1, 5)))]
    steps.append(("resolved", timedelta(minutes=rng.randrange(30, 180))))
    steps.append(("closed", timedelta(hours=rng.randrange(2, 48))))
    return steps


def _business_start(day: datetime, rng: random.Random) -> datetime:
    local = day.astimezone(DEFAULT_ZONE).replace(hour=rng.randrange(8, 20),
                                                 minute=rng.randrange(60), second=0,
                                                 microsecond=0)
    return local


def _signature_png(width: int = 360, height: int = 120) -> bytes:
    """A pen stroke on white, standing in for a customer's signature."""
    image = PIL.Image.new("L", (width, height), 255)
    stroke = [(20 + x * 8, 70 - int(28 * math.sin(x / 3)) + (x % 5) * 3) for x in range(40)]
    PIL.ImageDraw.Draw(image).line(stroke, fill=0, width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _stock_outlet(session: Session, outlet_id: int, scale: int) -> None:
    for product in customer_services.list_products(session, None, None, 200).items:
        for part in customer_services.parts_of(session, product.id):
            field_work.receive_stock(session, outlet_id, part.id, 400 * scale, None)


LOANERS = (("BJ-LN-001", "备用空调（挂机 1.5 匹）", "air_conditioner"),
           ("BJ-LN-002", "备用电热水器 60 升", "water_heater"),
           ("BJ-LN-003", "备用洗衣机 8 公斤", "washing_machine"),
           ("BJ-LN-004", "备用冰箱 200 升", "refrigerator"))


def _shelve_loaners(session: Session, outlet_id: int) -> None:
    for tag, description, category in LOANERS:
        loaners.register_loaner(session, Scope(everywhere=True), outlet_id, tag, description,
                                category)


def load(session: Session, rng: random.Random, scale: int, outlets: dict) -> int:
    dispatcher = core_services.find_user(session, "dispatcher")
    technician = core_services.find_user(session, "technician")
    _stock_outlet(session, outlets["BJ-01"].id, scale)
    _shelve_loaners(session, outlets["BJ-01"].id)
    signature = _signature_png()
    units = session.execute(select(SerialNumber.serial, SerialNumber.customer_id)).all()
    now = utcnow()
    types, weights = zip(*TYPE_WEIGHTS, strict=True)
    count = 0
    for day_offset in range(DAYS, 0, -1):
        day = now - timedelta(days=day_offset)
        for _ in range(PER_DAY * scale):
            serial, customer_id = rng.choice(units)
            kind = rng.choices(types, weights)[0]
            received = _business_start(day, rng)
            ticket = services.open_ticket(
                session, dispatcher, type=kind,
                priority="emergency" if rng.random() < 0.08 else "normal",
                customer_id=customer_id, description=rng.choice(PROBLEMS[kind]),
                serial=serial, outlet_id=outlets["BJ-01"].id, received_at=received,
                now=received + timedelta(minutes=rng.randrange(1, 15)),
            )
            _walk(session, rng, ticket, received, now, dispatcher, technician, signature)
            count += 1
    return count


def _walk(session, rng, ticket, at, now, dispatcher, technician, signature) -> None:
    for to_state, delay in _path(rng):
        at = at + delay
        if at >= now:
            return  # still in progress today
        if to_state == "resolved":
            _work_on_site(session, rng, ticket, technician, at - delay / 2)
        if to_state == "waiting_parts":
            _lend_a_loaner(session, ticket, technician, at)
        services.move_ticket(
            session, ticket, Move(to_state, technician_id=technician.id), dispatcher,
            may_dispatch=True, now=at,
        )
        if to_state == "resolved":
            field_work.sign_off(session, ticket, ticket_signer(session, ticket), signature,
                                technician, now=at)
            if loaners.open_loan(session, ticket.id):
                loaners.take_back(session, ticket, "外观完好，功能正常", now=at)


def ticket_signer(session: Session, ticket) -> str:
    return customer_services.get_customer(session, ticket.customer_id).name


def _lend_a_loaner(session, ticket, technician, at) -> None:
    """Long repairs (waiting for parts) get a loaner of the same kind if one is on the shelf."""
    shelf = loaners.shelf_for(session, ticket)
    product = customer_services.get_product(session, ticket.product_id)
    if shelf and shelf[0].category == product.category:
        due_on = (at + timedelta(days=7)).astimezone(DEFAULT_ZONE).date()
        loaners.lend(session, ticket, shelf[0].id, due_on, technician, now=at)


def _work_on_site(session, rng, ticket, technician, at) -> None:
    if field_work.is_paid_work(ticket):
        field_work.quote(session, ticket, rng.choice((8000, 12000, 18000, 26000)))
        field_work.accept_quote(session, ticket, now=at)
    if ticket.product_id is not None and rng.random() < 0.35:
        part = rng.choice(customer_services.parts_of(session, ticket.product_id))
        field_work.use_part(session, ticket, part.id, 1, technician, now=at)
