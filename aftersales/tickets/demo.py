"""Half a year of work orders, walked through the real state machine with past times."""

import io
import math
import random
import uuid
from contextlib import nullcontext
from datetime import datetime, timedelta

import PIL.Image
import PIL.ImageDraw
from geopy.distance import geodesic
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import audit
from aftersales.core import services as core_services
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.permissions import Scope
from aftersales.customers import queries as customer_queries
from aftersales.customers import services as customer_services
from aftersales.customers.attestations import AttestationChannel
from aftersales.tickets import customer_steps, field_work, loaners, services, stamps, stock
from aftersales.tickets.models import IntakeChannel
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


# Besides the straight path, a board holds orders the customer called off before anyone
# came and orders where nobody was home at the first visit. Chosen by the order's number, so
# the rest of the demo draws the same random values as before.
CALLED_OFF_EVERY = 29
NOBODY_HOME_EVERY = 13
CALLED_OFF = "客户来电取消：故障已自行排除"
NOBODY_HOME = "上门时客户不在家，已约改日上门"
# The customers who reported on the portal themselves: one order in six.
FROM_THE_PORTAL_EVERY = 6


def _path(rng: random.Random, urgent: bool = False,
          ticket_id: int = 0) -> list[tuple[str, timedelta]]:
    """The steps a work order took, each after a believable delay (emergencies: most
    reached within two hours, some not)."""
    if ticket_id % CALLED_OFF_EVERY == 0:
        return [("assigned", timedelta(minutes=rng.randrange(10, 240))),
                ("cancelled", timedelta(minutes=rng.randrange(30, 600)))]
    if urgent:
        steps = [("assigned", timedelta(minutes=rng.randrange(3, 30))),
                 ("dispatched", timedelta(minutes=rng.randrange(2, 15))),
                 ("on_site", timedelta(minutes=rng.randrange(25, 110)))]
    else:
        steps = [("assigned", timedelta(minutes=rng.randrange(10, 240))),
                 ("dispatched", timedelta(minutes=rng.randrange(5, 60))),
                 ("on_site", timedelta(minutes=rng.randrange(40, 300)))]
    if ticket_id % NOBODY_HOME_EVERY == 0:
        steps += [("waiting_customer", timedelta(minutes=rng.randrange(5, 20))),
                  ("on_site", timedelta(days=1, minutes=rng.randrange(0, 240)))]
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


def _stock_outlet(session: Session, outlet_id: int, scale: int, dispatcher) -> None:
    """The opening stock, delivered the day before the first demo work order."""
    delivered = utcnow() - timedelta(days=DAYS + 1)
    for product in customer_services.list_products(session, None, None, 200).items:
        for part in customer_services.parts_of(session, product.id):
            stock.receive_stock(session, outlet_id, part.id, 400 * scale, dispatcher,
                                note=OPENING_STOCK, now=delivered)


OPENING_STOCK = "首批备件入库（供应商送货单）"


def _move_stock(session: Session, outlet_ids: list[int], dispatcher) -> None:
    """A few of the movements the desk books besides receipts and uses: one outlet lends
    another parts, and a delivery with faulty parts goes back to the supplier."""
    parts = [part for product in customer_services.list_products(session, None, None, 200).items
             for part in customer_services.parts_of(session, product.id)][:2]
    source, destination = outlet_ids[0], outlet_ids[1]
    for part in parts:
        stock.transfer(session, source, destination, part.id, 20, dispatcher,
                       note="调拨补充库存")
    stock.return_to_supplier(session, source, parts[0].id, 2, "到货即漏液，退回供应商",
                             dispatcher)


LOANERS = (("BJ-LN-001", "备用空调（挂机 1.5 匹）", "air_conditioner"),
           ("BJ-LN-002", "备用电热水器 60 升", "water_heater"),
           ("BJ-LN-003", "备用洗衣机 8 公斤", "washing_machine"),
           ("BJ-LN-004", "备用冰箱 200 升", "refrigerator"))


def _shelve_loaners(session: Session, outlet_id: int) -> None:
    for tag, description, category in LOANERS:
        loaners.register_loaner(session, Scope(everywhere=True), outlet_id, tag, description,
                                category)


def load(session: Session, rng: random.Random, scale: int, outlets: dict,
         technicians: dict[str, list[str]]) -> int:
    """Work orders for customers in the cities whose outlet has technicians who sign in,
    each opened at the outlet covering the customer (as a call would open it) and worked
    by a technician of that outlet."""
    dispatcher = core_services.find_user(session, "dispatcher")
    crews = {outlets[code].id: [core_services.find_user(session, name) for name in names]
             for code, names in technicians.items()}
    _late_stamp_sent.clear()
    for code in technicians:
        _stock_outlet(session, outlets[code].id, scale, dispatcher)
    _move_stock(session, [outlets[code].id for code in technicians], dispatcher)
    _shelve_loaners(session, outlets["BJ-01"].id)
    signature = _signature_png()
    units = _units_in(session, {outlets[code].city for code in technicians})
    now = utcnow()
    types, weights = zip(*TYPE_WEIGHTS, strict=True)
    count = 0
    for day_offset in range(DAYS, 0, -1):
        day = now - timedelta(days=day_offset)
        for _ in range(PER_DAY * scale):
            serial, customer_id, _city = rng.choice(units)
            kind = rng.choices(types, weights)[0]
            received = _business_start(day, rng)
            on_portal = count % FROM_THE_PORTAL_EVERY == 0
            with audit.acting_as(audit.PORTAL_CUSTOMER) if on_portal else nullcontext():
                ticket = services.open_ticket(
                    session, None if on_portal else dispatcher, type=kind,
                    priority="emergency" if rng.random() < 0.08 else "normal",
                    customer_id=customer_id, description=rng.choice(PROBLEMS[kind]),
                    serial=serial, received_at=received,
                    now=received + timedelta(minutes=rng.randrange(1, 15)),
                    channel=IntakeChannel.PORTAL if on_portal else IntakeChannel.DESK,
                )
            technician = rng.choice(crews[ticket.outlet_id])
            _walk(session, rng, ticket, received, now, dispatcher, technician, signature)
            count += 1
    count += _waiting_for_dispatch(session, rng, units, dispatcher, now)
    count += _under_way_today(session, rng, units, dispatcher, crews, now)
    stamps.mark_missed_arrivals(session, now)
    return count


def _units_in(session: Session, cities: set[str]) -> list[tuple[str, int, str]]:
    """(serial, customer id, city) of the units sold to customers living in `cities`."""
    sold = customer_queries.sold_units()
    units = session.execute(select(sold.c.serial, sold.c.customer_id)).all()
    city_of = {customer_id: customer_services.get_customer(session, customer_id).city
               for customer_id in {customer_id for _serial, customer_id in units}}
    return [(serial, customer_id, city_of[customer_id]) for serial, customer_id in units
            if city_of[customer_id] in cities]


# This morning's calls, not yet sent to anyone: what the dispatch boards open on.
# (minutes ago, priority, type, customer's city)
WAITING = ((95, "normal", "repair", "上海市"), (60, "normal", "maintenance", "上海市"),
           (40, "emergency", "repair", "上海市"), (25, "normal", "installation", "上海市"),
           (50, "normal", "repair", "北京市"), (30, "emergency", "repair", "广州市"),
           (20, "normal", "installation", "成都市"), (10, "normal", "repair", "北京市"))


def _waiting_for_dispatch(session, rng, units, dispatcher, now) -> int:
    for minutes_ago, priority, kind, city in WAITING:
        serial, customer_id, _city = rng.choice([unit for unit in units if unit[2] == city])
        received = now - timedelta(minutes=minutes_ago)
        services.open_ticket(
            session, dispatcher, type=kind, priority=priority, customer_id=customer_id,
            description=rng.choice(PROBLEMS[kind]), serial=serial,
            received_at=received, now=received + timedelta(minutes=2),
        )
    return len(WAITING)


# This morning's orders a technician is working on: (minutes ago, type, customer's city, the
# steps taken since, each this many minutes after the one before).
UNDER_WAY = ((150, "repair", "上海市", (("assigned", 20), ("dispatched", 30))),
             (210, "maintenance", "北京市", (("assigned", 15), ("dispatched", 20),
                                             ("on_site", 45))),
             (240, "repair", "上海市", (("assigned", 10), ("dispatched", 25), ("on_site", 40),
                                        ("waiting_customer", 10))),
             (180, "installation", "广州市", (("assigned", 30), ("dispatched", 20),
                                              ("on_site", 50))))


def _under_way_today(session, rng, units, dispatcher, crews, now) -> int:
    for minutes_ago, kind, city, steps in UNDER_WAY:
        serial, customer_id, _city = rng.choice([unit for unit in units if unit[2] == city])
        at = now - timedelta(minutes=minutes_ago)
        ticket = services.open_ticket(
            session, dispatcher, type=kind, priority="normal", customer_id=customer_id,
            description=rng.choice(PROBLEMS[kind]), serial=serial, received_at=at,
            now=at + timedelta(minutes=2))
        technician = crews[ticket.outlet_id][-1]
        for to_state, minutes in steps:
            at += timedelta(minutes=minutes)
            if to_state in STAMPED_STEPS and ticket.service_latitude is not None:
                _stamp(session, rng, ticket, technician, STAMPED_STEPS[to_state], at)
            else:
                services.move_ticket(
                    session, ticket, Move(to_state, technician_id=technician.id,
                                          note=NOBODY_HOME if to_state == "waiting_customer"
                                          else None),
                    dispatcher, may_dispatch=True, now=at)
        _spare_taken_back(session, ticket, technician, at)
    return len(UNDER_WAY)


def _spare_taken_back(session, ticket, technician, at) -> None:
    """On site under warranty, the technician brought two of a part, fitted one and
    returns the other to the shelf."""
    if ticket.state != "on_site" or ticket.product_id is None or field_work.is_paid_work(ticket):
        return
    parts = customer_services.parts_of(session, ticket.product_id)
    if not parts:
        return
    used = field_work.use_part(session, ticket, parts[0].id, 2, technician, now=at,
                               removed_serial=_old_serial(parts[0], ticket))
    stock.return_from_work(session, ticket, used.id, 1, technician, note="多带一件，未使用",
                           now=at)


# The steps the technician takes with a GPS stamp from the phone.
STAMPED_STEPS = {"dispatched": "depart", "on_site": "arrive", "resolved": "finish"}
STAMPING_SINCE = timedelta(days=30)


def _walk(session, rng, ticket, at, now, dispatcher, technician, signature) -> None:
    # Phones stamp every step at a place with coordinates since the app came to every
    # outlet, and on every emergency before (whose arrival SLA only a verified GPS arrival
    # meets); fewer stamps also keep `demo load` quick.
    stamping = ticket.service_latitude is not None and (
        ticket.priority == "emergency" or now - at < STAMPING_SINCE)
    for to_state, delay in _path(rng, ticket.priority == "emergency", ticket.id):
        # Emergencies are served round the clock; other field work waits for the morning.
        at = at + delay if ticket.priority == "emergency" else _in_working_hours(at + delay)
        if at >= now:
            return  # still in progress today
        if to_state == "resolved":
            _work_on_site(session, rng, ticket, technician, at - delay / 2)
        if to_state == "waiting_parts":
            _lend_a_loaner(session, ticket, technician, at)
        if stamping and to_state in STAMPED_STEPS:
            _stamp(session, rng, ticket, technician, STAMPED_STEPS[to_state], at)
        else:
            reason = {"cancelled": CALLED_OFF, "waiting_customer": NOBODY_HOME}.get(to_state)
            services.move_ticket(
                session, ticket,
                Move(to_state, technician_id=technician.id, reason=reason, note=reason),
                dispatcher, may_dispatch=True, now=at,
            )
        if to_state == "resolved":
            field_work.sign_off(session, ticket, ticket_signer(session, ticket), signature,
                                technician, now=at)
            _customer_confirms(session, rng, ticket, at)
            if loaners.open_loan(session, ticket.id):
                loaners.take_back(session, ticket, "外观完好，功能正常", now=at)


# Phones customers open links on: WeChat's browser mostly.
CUSTOMER_BROWSERS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49",
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47",
    "Mozilla/5.0 (Linux; Android 13; HUAWEI P60) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Mobile Safari/537.36",
)


def _customer_confirms(session, rng, ticket, at) -> None:
    """Recent work: some customers followed it online, and most confirmed the work done
    and rated it on their own phone, scanning the QR code the technician showed."""
    browser = rng.choice(CUSTOMER_BROWSERS)
    if rng.random() < 0.3 and at > utcnow() - timedelta(days=7):
        customer_steps.record_tracking(session, ticket.id, browser, at=at - timedelta(hours=2))
    if rng.random() < 0.6:
        address = customer_steps.ask(session, ticket, "confirm_completion",
                                     AttestationChannel.SHARED_LINK, at=at)
        if address is not None:
            customer_steps.confirm(session, address.rsplit("/", 1)[1],
                                   step="confirm_completion", ticket_id=ticket.id,
                                   user_agent=browser, rating=rng.choice((5, 5, 5, 4, 4, 3)),
                                   at=at + timedelta(minutes=3))


def _in_working_hours(moment: datetime) -> datetime:
    """Field work happens 08:00-20:00 local time: a later step waits for the next morning."""
    local = moment.astimezone(DEFAULT_ZONE)
    if 8 <= local.hour < 20:
        return moment
    morning = local.replace(hour=8, second=0, microsecond=0)
    if local.hour >= 20:
        morning += timedelta(days=1)
    return morning.astimezone(moment.tzinfo)


_late_stamp_sent = []


def _stamp(session, rng, ticket, technician, kind, at) -> None:
    """A stamp as the phone sends it, which takes the step: departures from a few km away,
    arrivals mostly inside the geofence, a few off site; one arrival queued offline."""
    if kind == "depart":
        metres = rng.uniform(3000, 9000)
    elif kind == "arrive" and rng.random() < 0.06:
        metres = rng.uniform(800, 3000)  # parked at the wrong gate, or never there
    else:
        metres = rng.uniform(5, 250)
    point = geodesic(meters=metres).destination(
        (float(ticket.service_latitude), float(ticket.service_longitude)), rng.uniform(0, 360))
    late = kind == "arrive" and not _late_stamp_sent and rng.random() < 0.1
    if late:
        _late_stamp_sent.append(ticket.id)  # no signal in the basement: sent 25 minutes later
    stamps.record_stamp(
        session, ticket,
        stamps.StampIn(client_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                       kind=kind, latitude=point.latitude, longitude=point.longitude,
                       accuracy_m=rng.choice((5.0, 8.0, 12.0, 20.0, 35.0)), device_at=at,
                       queued=late),
        technician, may_dispatch=False, now=at + timedelta(minutes=25) if late else at,
    )


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
    paid = field_work.is_paid_work(ticket)
    if paid:
        _accepted_quote(session, ticket, technician, rng.choice((8000, 12000, 18000, 26000)), at)
    if ticket.product_id is not None and rng.random() < 0.35:
        part = rng.choice(customer_services.parts_of(session, ticket.product_id))
        field_work.use_part(session, ticket, part.id, 1, technician, now=at,
                            removed_serial=_old_serial(part, ticket))
    total = field_work.charges_of(session, ticket).total_fen
    if paid and total > ticket.quote_fen:
        # The work cost more than the first quote: the customer accepts a new one.
        _accepted_quote(session, ticket, technician, total, at)


def _old_serial(part, ticket) -> str | None:
    """Main parts (compressors, boards) carry a serial; the one taken out is noted."""
    return f"{part.code}-{ticket.id:06d}" if part.kind == "main" else None


def _accepted_quote(session, ticket, technician, amount_fen, at) -> None:
    field_work.quote(session, ticket, amount_fen, technician, now=at)
    field_work.accept_quote(session, ticket, now=at)
