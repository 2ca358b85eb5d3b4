"""The repair record sheet (维修服务记录单): a PDF the customer keeps and an auditor samples, in
Chinese with the English beside it.

Two steps (aftersales/core/pdf.py): `sheet_data` reads what the sheet prints, as data
(`sheets_data` for a batch of work orders, one query per table for the batch: an audit
freeze keeps thousands), and `sheet_pdf` renders that data alone, so a sheet frozen with an
audit period prints the same at every export. Every time on the sheet says where it came
from: the GPS stamp that set it (with its accuracy and distance to the service address), a
desk entry (by whom, when), or the system; a time no stamp stands behind is never printed as
if it were stamped. Personal data is masked by the shared rules of
aftersales/core/privacy.py.
"""

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core import settings as core_settings
from aftersales.core.clock import utcnow
from aftersales.core.privacy import coarse_point, mask_address, mask_phone
from aftersales.core.sheets import document, png, render_blocks, when, yuan
from aftersales.customers import attestations
from aftersales.customers import services as customer_services
from aftersales.outlets import services as outlet_services
from aftersales.tickets import field_work, loaners, settings, stamps
from aftersales.tickets.labels import PRIORITY_LABELS, STATE_LABELS, TYPE_LABELS, WARRANTY_LABELS
from aftersales.tickets.models import Signoff, Ticket, TicketEvent, TicketStamp

KINDS = {"depart": "出发 Depart", "arrive": "到达 Arrive", "finish": "完工 Finish"}
STATUSES = {"recorded": "已记录 recorded", "verified": "已核验 verified",
            "off_site": "不在现场 off site", "no_service_location": "无坐标 no location"}
FLAGS = {"impossible_speed": "速度异常 speed", "clock_skew": "时间不符 clock",
         "late": "延迟发送 late"}
PRECISION = {"exact": "精确坐标 exact", "district": "区县中心 district centre",
             "city": "城市中心 city centre"}
DESK_ENTRY = "人工录入，无 GPS 打卡 desk entry, no GPS stamp"
SYSTEM = "系统 system"


def render(session: Session, ticket: Ticket) -> bytes:
    """The sheet of the work order as it is now (the page and API downloads)."""
    return sheet_pdf(sheet_data(session, ticket.id))


# The PDF from the sheet's data alone: the same bytes for the same data.
sheet_pdf = render_blocks


def sheet_data(session: Session, ticket_id: int) -> dict | None:
    """Everything the sheet prints, JSON-ready, as of now; None: no such work order."""
    return sheets_data(session, [ticket_id]).get(ticket_id)


def sheets_data(session: Session, ticket_ids) -> dict[int, dict]:
    """The data of the sheets of these work orders by id, as `sheet_data` gives each (a
    work order that does not exist has none), read with one query per table for the whole
    batch, not one per sheet."""
    batch = _Batch.load(session, ticket_ids)
    as_of = utcnow()
    company = core_settings.platform().company_name
    with force_locale("zh"):
        return {ticket.id: document(f"{ticket.number} 维修服务记录单", company, as_of,
                                    _blocks(batch, ticket))
                for ticket in batch.tickets}


@dataclass(frozen=True)
class _Batch:
    """A batch of work orders and everything their sheets print, by work order id (people
    by user id; customers, outlets, products, serials by their own ids; the parts
    catalogue by product id)."""

    tickets: list[Ticket]
    trails: dict[int, list[TicketStamp]]  # each by the time taken
    events: dict[int, list[TicketEvent]]
    signoffs: dict[int, Signoff]
    people: dict[int, str]
    customers: dict
    outlets: dict
    products: dict
    serials: dict
    parts_used: dict[int, list]
    catalogue: dict[int, list]
    loans: dict[int, list]
    acts: dict[int, list]

    @classmethod
    def load(cls, session: Session, ticket_ids) -> "_Batch":
        ids = sorted(set(ticket_ids))
        tickets = list(session.scalars(select(Ticket).where(Ticket.id.in_(ids))
                                       .order_by(Ticket.id))) if ids else []
        ids = [ticket.id for ticket in tickets]
        events = _events_by_ticket(session, ids)
        signoffs = field_work.signoffs_of(session, ids)
        people = core_services.display_names(session, _people_named(tickets, events, signoffs))
        parts_used = field_work.parts_used_by_ticket(session, ids)
        products = customer_services.products_by_id(
            session, {ticket.product_id for ticket in tickets})
        return cls(
            tickets=tickets,
            trails={ticket_id: sorted(trail, key=lambda stamp: stamp.at) for ticket_id, trail
                    in stamps.stamps_by_ticket(session, ids).items()},
            events=events, signoffs=signoffs, people=people,
            customers=customer_services.customers_by_id(
                session, {ticket.customer_id for ticket in tickets}),
            outlets=outlet_services.outlets_by_id(session, (t.outlet_id for t in tickets)),
            products=products,
            serials=customer_services.serials_by_id(
                session, {ticket.serial_id for ticket in tickets}),
            parts_used=parts_used,
            catalogue=customer_services.parts_by_product(session, {
                ticket.product_id for ticket in tickets if parts_used.get(ticket.id)}),
            loans=loaners.loans_by_ticket(session, ids),
            acts=attestations.acts_of(session, "ticket", ids),
        )


def _events_by_ticket(session: Session, ticket_ids: list[int]) -> dict[int, list[TicketEvent]]:
    events: dict[int, list[TicketEvent]] = defaultdict(list)
    if ticket_ids:
        for event in session.scalars(select(TicketEvent)
                                     .where(TicketEvent.ticket_id.in_(ticket_ids))
                                     .order_by(TicketEvent.id)):
            events[event.ticket_id].append(event)
    return events


def _people_named(tickets: list[Ticket], events: dict[int, list[TicketEvent]],
                  signoffs: dict[int, Signoff]) -> set[int]:
    """The users the sheets name: technicians, who entered the work orders, who took the
    signatures, who moved the work orders on."""
    named = {event.actor_id for trail in events.values() for event in trail}
    for ticket in tickets:
        signoff = signoffs.get(ticket.id)
        named |= {ticket.technician_id, ticket.created_by_id,
                  signoff.taken_by_id if signoff else None}
    return named - {None}


def _blocks(batch: _Batch, ticket: Ticket) -> list[dict]:
    platform = core_settings.platform()
    trail = batch.trails.get(ticket.id, [])
    events = batch.events.get(ticket.id, [])
    signoff = batch.signoffs.get(ticket.id)
    people = batch.people
    customer = batch.customers[ticket.customer_id]
    outlet = batch.outlets.get(ticket.outlet_id)
    parts = _parts(batch, ticket)
    times = _Times(ticket, trail, events, people)
    return [
        {"title": f"{platform.company_name} 维修服务记录单"},
        {"subtitle": f"Repair service record / 服务热线 Hotline {platform.service_hotline}"},
        {"spacer_mm": 4},
        {"facts": [
            ["工单号 Work order", ticket.number],
            ["类型 Type", f"{TYPE_LABELS[ticket.type]} / {PRIORITY_LABELS[ticket.priority]}"],
            ["状态 State", str(STATE_LABELS[ticket.state])],
            ["服务网点 Outlet", outlet.name if outlet else "—"],
            ["工程师 Technician", people.get(ticket.technician_id, "—")],
        ]},
        {"heading": "客户 Customer"},
        {"facts": [
            ["姓名 Name", customer.name],
            ["电话 Phone", mask_phone(customer.phone)],
            ["服务地址 Address", mask_address(ticket.service_address)],
        ]},
        {"heading": "产品 Product"},
        {"facts": _product_lines(batch, ticket)},
        {"heading": "故障与处理 Problem and service"},
        {"facts": [["故障描述 Problem", ticket.description]]},
        {"spacer_mm": 2},
        {"listing": {"header": ["环节 Step", "时间 Time", "来源 Where the time came from"],
                     "rows": times.rows(signoff), "widths_mm": [30, 30, 110]}},
        *([{"heading": "更换配件 Parts used"}, parts] if parts else []),
        {"heading": "费用 Fees"},
        {"facts": _fee_lines(ticket, field_work.charges_from(
            ticket, batch.parts_used.get(ticket.id, []), batch.products.get(ticket.product_id)))},
        *_loan_part(batch.loans.get(ticket.id, [])),
        *_gps_part(ticket, trail),
        {"heading": "客户确认 Customer sign-off"},
        *_signature(signoff),
        *_customer_acts(batch.acts.get(ticket.id, [])),
    ]


# The sheet is bilingual whatever the reader's language: each step and channel in both.
ACT_WORDS = {
    "accept_quote": "确认报价 Accepted the quote",
    "confirm_arrival": "确认到场 Confirmed the arrival",
    "confirm_completion": "确认完工 Confirmed the work done",
    "rate_service": "服务评分 Rated the service",
    "answer_survey": "回答满意度调查 Answered the survey",
}
CHANNEL_WORDS = {
    "sms_link": "短信一次性链接 one-time link by SMS",
    "email_link": "邮件一次性链接 one-time link by e-mail",
    "shared_link": "技术员出示的一次性链接（微信/二维码） one-time link shown by the technician",
    "portal_code": "门户网站，凭手机验证码 portal, with a code to the phone on file",
}


def _customer_acts(every_act: list) -> list[dict]:
    """What the customer confirmed on their own phone, and how: stronger than a staff
    click, so printed with the channel and the device."""
    acts = [act for act in every_act if act.step in ACT_WORDS]
    if not acts:
        return [{"text": "客户未通过本人手机确认任何环节。The customer confirmed nothing on "
                         "their own phone."}]
    rows = [[ACT_WORDS[act.step] + (f" {act.rating}/5" if act.rating else ""), when(act.at),
             CHANNEL_WORDS[act.channel], (act.user_agent or "—")[:60]] for act in acts]
    return [{"spacer_mm": 2}, {"listing": {
        "header": ["客户本人确认 Confirmed by the customer", "时间 At", "方式 How",
                   "设备 Device"],
        "rows": rows, "widths_mm": [45, 30, 50, 45]}}]


class _Times:
    """Each time of the work order with where it came from: the GPS stamp whose step set
    it, else the state change that set it (a person at the desk or in the app, or the
    system). A stamp took a step when its step's state change bears the stamp's server
    time; a stamp taken offline dates the arrival by when it was taken."""

    def __init__(self, ticket: Ticket, trail: list[TicketStamp], events: list[TicketEvent],
                 people: dict[int, str]):
        self.ticket, self.trail, self.events, self.people = ticket, trail, events, people

    def rows(self, signoff) -> list[list[str]]:
        ticket = self.ticket
        departed = next((e.at for e in self.events if e.to_state == "dispatched"), None)
        signed = (f"{SYSTEM}：收到签名的时间 when the signature reached the server；采集人 "
                  f"taken by {self.people.get(signoff.taken_by_id, '—')}") if signoff else "—"
        return [
            ["报修 Reported", when(ticket.received_at), self._entered()],
            ["出发 Departed", when(departed), self._source(departed, "dispatched")],
            ["到达 Arrived", when(ticket.arrived_at), self._source(ticket.arrived_at, "on_site")],
            ["完成 Resolved", when(ticket.resolved_at),
             self._source(ticket.resolved_at, "resolved")],
            ["客户签字 Signed", when(signoff.signed_at) if signoff else "—", signed],
        ]

    def _entered(self) -> str:
        ticket = self.ticket
        entered = f"{when(ticket.created_at)} 录入 entered"
        if ticket.created_by_id is None:
            return f"{SYSTEM}：{entered}"
        return f"{DESK_ENTRY}：{self.people.get(ticket.created_by_id, '—')}，{entered}"

    def _source(self, moment, state: str) -> str:
        if moment is None:
            return "—"
        step = next((e for e in self.events if e.to_state == state and e.at == moment), None)
        stamp = next((s for s in self.trail
                      if (s.to_state == state and s.at == moment)
                      or (step is not None and s.to_state and s.server_at == step.at)), None)
        if stamp is not None:
            return _stamp_source(stamp, moment)
        if step is None:
            return f"{DESK_ENTRY}：录入人未记录 who entered it is not recorded"
        if step.actor_id is None:
            return f"{SYSTEM}：{when(step.at)}"
        return f"{DESK_ENTRY}：{self.people.get(step.actor_id, step.actor_label)}，{when(step.at)}"


def _stamp_source(stamp: TicketStamp, moment) -> str:
    """A GPS stamp as the source of a time: its accuracy, distance and verdict."""
    distance = (f"距服务地址 {stamp.distance_m} 米 m to the service address"
                if stamp.distance_m is not None else "服务地址无坐标 address not located")
    taken = f"；{when(stamp.at)} 拍摄 taken" if when(stamp.at) != when(moment) else ""
    return (f"GPS 打卡 stamp（{KINDS[stamp.kind]}）：精度 accuracy ±{int(stamp.accuracy_m)} "
            f"米 m，{distance}，{_verdict(stamp)}{taken}")


def _verdict(stamp: TicketStamp) -> str:
    """What the server made of a stamp: its status and any flags."""
    flags = "、".join(FLAGS[flag] for flag in stamp.flags if flag in FLAGS)
    return STATUSES[stamp.status] + (f"；{flags}" if flags else "")


def _product_lines(batch: _Batch, ticket: Ticket) -> list[list[str]]:
    product = batch.products.get(ticket.product_id)
    unit = batch.serials.get(ticket.serial_id)
    return [
        ["产品 Product", f"{product.name}（{product.model_code}）" if product else "—"],
        ["序列号 Serial", unit.serial if unit else "—"],
        ["购买日期 Sold on", unit.sold_on.isoformat() if unit else "—"],
        ["保修至 Warranty until", unit.warranty_expires_on.isoformat() if unit else "—"],
        ["保修状态 Warranty", str(WARRANTY_LABELS[ticket.warranty_status])],
    ]


def _parts(batch: _Batch, ticket: Ticket) -> dict | None:
    """The parts used as a listing block (None: none used)."""
    used = batch.parts_used.get(ticket.id)
    if not used:
        return None
    names = {part.id: part for part in batch.catalogue.get(ticket.product_id, [])}
    rows = []
    for line in used:
        part = names.get(line.part_id)
        rows.append([
            part.name if part else str(line.part_id), part.code if part else "",
            _quantity(line), yuan(line.unit_price_fen),
            yuan(line.kept * line.unit_price_fen) if line.charged else "保内免费 free",
            line.removed_serial or "—",
        ])
    return {"listing": {
        "header": ["配件 Part", "编号 Code", "数量 Qty", "单价 Unit price", "收费 Charged",
                   "换下件序列号 Removed part's serial"],
        "rows": rows, "widths_mm": [38, 26, 22, 26, 26, 32],
    }}


def _quantity(line) -> str:
    """How many were fitted, and how many went back to stock unused, if any."""
    if not line.returned:
        return str(line.quantity)
    return f"{line.kept}（退回 returned {line.returned}）"


def _fee_lines(ticket: Ticket, charges: field_work.Charges) -> list[list[str]]:
    if not field_work.is_paid_work(ticket):
        return [["收费 Charge", "保修期内，免费服务 In warranty: no charge"]]
    accepted = (f"客户已于 {when(ticket.quote_accepted_at)} 确认 accepted"
                if ticket.quote_accepted_at else "客户未确认 not accepted")
    quoted = yuan(ticket.quote_fen) if ticket.quote_fen is not None else "—"
    return [
        ["报价 Quote", f"{quoted}（{accepted}）"],
        ["配件费 Parts", yuan(charges.parts_fen)],
        ["人工费 Labour", yuan(charges.labour_fen)],
        ["应付合计 Total payable", yuan(charges.total_fen)],
    ]


def _loan_part(loans: list) -> list[dict]:
    if not loans:
        return []
    lines = [
        [f"备用机 Loaner {unit.asset_tag}",
         f"{unit.description}：{when(loan.lent_at)} 借出 lent，"
         + (f"{when(loan.returned_at)} 归还 returned" if loan.returned_at
            else f"应于 {when(loan.due_back_at)} 前归还 due back")]
        for loan, unit in loans
    ]
    return [{"heading": "备用机 Loaner"}, {"facts": lines}]


def _gps_part(ticket: Ticket, trail: list[TicketStamp]) -> list[dict]:
    """The GPS summary: where the work was (to about a kilometre: a home is personal data),
    what each stamp proved, the emergency arrival."""
    summary = stamps.summary(trail)
    if ticket.service_latitude is not None:
        where = (f"{coarse_point(ticket.service_latitude, ticket.service_longitude)}"
                 f"（{PRECISION[ticket.service_location_precision]}）")
    else:
        where = "无坐标，无法核验到场 no coordinates: presence cannot be verified"
    first = summary.first_verified_arrival
    lines = [
        ["服务地点 Service location", where],
        ["电子围栏 Geofence", f"{settings.current().geofence_m} 米 m + 定位精度 accuracy"],
        ["首次核验到场 First verified arrival",
         f"{when(first.at)}，距离 {first.distance_m} 米 m" if first else "—"],
        ["打卡 Stamps",
         f"共 {summary.count} 次 total；不在现场 off site {summary.off_site}；"
         f"异常 flagged {summary.flagged}；延迟发送 late {summary.late}"],
    ]
    if ticket.arrival_due_at is not None:
        met = {True: "达标 met", False: "未达标 failed", None: "待定 pending"}[ticket.arrival_met]
        lines.append(["紧急到场 Emergency arrival",
                      f"时限 due {when(ticket.arrival_due_at)}：{met}"])
    blocks = [{"heading": "GPS 到场记录 GPS proof of presence"}, {"facts": lines}]
    if trail:
        rows = [
            [KINDS[stamp.kind], when(stamp.at),
             f"{stamp.distance_m} 米 m ±{int(stamp.accuracy_m)}"
             if stamp.distance_m is not None else "—",
             _verdict(stamp)]
            for stamp in trail
        ]
        blocks += [{"spacer_mm": 2}, {"listing": {
            "header": ["打卡 Stamp", "时间 Taken", "距离 Distance", "结果 Result"],
            "rows": rows, "widths_mm": [30, 40, 35, 65],
        }}]
    return blocks


def _signature(signoff) -> list[dict]:
    if signoff is None:
        return [{"text": "客户尚未签字确认。Not signed by the customer yet."}]
    return [
        {"image_png": png(signoff.image_png), "max_mm": [70, 28]},
        {"text": f"签字人 Signed by：{signoff.signer_name}　时间 At：{when(signoff.signed_at)}"},
    ]
