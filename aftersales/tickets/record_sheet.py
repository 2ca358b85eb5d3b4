"""The repair record sheet (维修服务记录单): a PDF the customer keeps, in Chinese.

The font, styles, tables and page numbers are the shared ones of aftersales/core/pdf.py.
"""

import io

from flask import current_app
from flask_babel import force_locale
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core.clock import utcnow
from aftersales.core.pdf import CELL, HEADING, SUBTITLE, TITLE, Line, build, facts, listing, text
from aftersales.core.pdf import when as _when
from aftersales.core.pdf import yuan as _yuan
from aftersales.customers import services as customer_services
from aftersales.outlets import services as outlet_services
from aftersales.tickets import field_work, loaners, stamps
from aftersales.tickets.labels import PRIORITY_LABELS, STATE_LABELS, TYPE_LABELS, WARRANTY_LABELS
from aftersales.tickets.models import Ticket


def _product_lines(session: Session, ticket: Ticket) -> list[Line]:
    product = (
        customer_services.get_product(session, ticket.product_id) if ticket.product_id else None
    )
    unit = customer_services.get_serial(session, ticket.serial_id) if ticket.serial_id else None
    return [
        Line("产品 Product", f"{product.name}（{product.model_code}）" if product else "—"),
        Line("序列号 Serial", unit.serial if unit else "—"),
        Line("购买日期 Sold on", unit.sold_on.isoformat() if unit else "—"),
        Line("保修至 Warranty until", unit.warranty_expires_on.isoformat() if unit else "—"),
        Line("保修状态 Warranty", str(WARRANTY_LABELS[ticket.warranty_status])),
    ]


def _parts_table(session: Session, ticket: Ticket) -> tuple[Table | None, int]:
    used = field_work.parts_used(session, ticket.id)
    if not used:
        return None, 0
    names = {part.id: part for part in customer_services.parts_of(session, ticket.product_id)}
    rows = []
    charged_total = 0
    for line in used:
        part = names.get(line.part_id)
        line_total = line.quantity * line.unit_price_fen if line.charged else 0
        charged_total += line_total
        rows.append([
            part.name if part else str(line.part_id), part.code if part else "",
            str(line.quantity), _yuan(line.unit_price_fen),
            _yuan(line_total) if line.charged else "保内免费 free",
        ])
    table = listing(["配件 Part", "编号 Code", "数量 Qty", "单价 Unit price", "收费 Charged"],
                    rows, [50 * mm, 30 * mm, 20 * mm, 32 * mm, 38 * mm])
    return table, charged_total


def _signature(session: Session, ticket: Ticket) -> list:
    signoff = field_work.signoff_of(session, ticket.id)
    if signoff is None:
        return [Paragraph("客户尚未签字确认。Not signed by the customer yet.", CELL)]
    image = Image(io.BytesIO(signoff.image_png))
    image._restrictSize(70 * mm, 28 * mm)
    return [
        image,
        text(f"签字人 Signed by：{signoff.signer_name}　时间 At：{_when(signoff.signed_at)}"),
    ]


def render(session: Session, ticket: Ticket) -> bytes:
    """The sheet as PDF bytes, labels in Chinese with English beside them."""
    with force_locale("zh"):
        return _render(session, ticket)


def _render(session: Session, ticket: Ticket) -> bytes:
    config = current_app.config
    customer = customer_services.get_customer(session, ticket.customer_id)
    outlet = outlet_services.get_outlet(session, ticket.outlet_id) if ticket.outlet_id else None
    technician = core_services.display_names(
        session, {ticket.technician_id} if ticket.technician_id else set()
    ).get(ticket.technician_id)
    parts, charged_total = _parts_table(session, ticket)
    story = [
        text(f"{config['COMPANY_NAME']} 维修服务记录单", TITLE),
        Paragraph(f"Repair service record / 服务热线 Hotline {config['SERVICE_HOTLINE']}",
                  SUBTITLE),
        Spacer(1, 4 * mm),
        facts([
            Line("工单号 Work order", ticket.number),
            Line("类型 Type", f"{TYPE_LABELS[ticket.type]} / {PRIORITY_LABELS[ticket.priority]}"),
            Line("状态 State", str(STATE_LABELS[ticket.state])),
            Line("服务网点 Outlet", outlet.name if outlet else "—"),
            Line("工程师 Technician", technician or "—"),
        ]),
        Paragraph("客户 Customer", HEADING),
        facts([
            Line("姓名 Name", customer.name),
            Line("电话 Phone", customer.phone),
            Line("服务地址 Address", ticket.service_address),
        ]),
        Paragraph("产品 Product", HEADING),
        facts(_product_lines(session, ticket)),
        Paragraph("故障与处理 Problem and service", HEADING),
        facts([
            Line("故障描述 Problem", ticket.description),
            Line("报修时间 Reported", _when(ticket.received_at)),
            Line("到达现场 Arrived", _when(ticket.arrived_at)),
            Line("完成时间 Resolved", _when(ticket.resolved_at)),
        ]),
    ]
    if parts is not None:
        story += [Paragraph("更换配件 Parts used", HEADING), parts]
    story += [Paragraph("费用 Fees", HEADING), facts(_fee_lines(ticket, charged_total))]
    story += _loan_part(session, ticket)
    story += _gps_part(session, ticket)
    story += [Paragraph("客户确认 Customer sign-off", HEADING), *_signature(session, ticket),
              Spacer(1, 6 * mm),
              Paragraph(f"打印时间 Printed {_when(utcnow())}", SUBTITLE)]
    return build(story, title=f"{ticket.number} 维修服务记录单", author=config["COMPANY_NAME"])


def _fee_lines(ticket: Ticket, charged_total: int) -> list[Line]:
    if not field_work.is_paid_work(ticket):
        return [Line("收费 Charge", "保修期内，免费服务 In warranty: no charge")]
    accepted = (f"客户已于 {_when(ticket.quote_accepted_at)} 确认 accepted"
                if ticket.quote_accepted_at else "客户未确认 not accepted")
    quoted = _yuan(ticket.quote_fen) if ticket.quote_fen is not None else "—"
    return [
        Line("报价 Quote", f"{quoted}（{accepted}）"),
        Line("配件费 Parts", _yuan(charged_total)),
    ]


def _loan_part(session: Session, ticket: Ticket) -> list:
    loans = loaners.loans_of(session, ticket.id)
    if not loans:
        return []
    lines = [
        Line(f"备用机 Loaner {unit.asset_tag}",
              f"{unit.description}：{_when(loan.lent_at)} 借出 lent，"
              + (f"{_when(loan.returned_at)} 归还 returned" if loan.returned_at
                 else f"应于 {_when(loan.due_back_at)} 前归还 due back"))
        for loan, unit in loans
    ]
    return [Paragraph("备用机 Loaner", HEADING), facts(lines)]


KINDS = {"depart": "出发 Depart", "arrive": "到达 Arrive", "finish": "完工 Finish"}
STATUSES = {"recorded": "已记录 recorded", "verified": "已核验 verified",
            "off_site": "不在现场 off site", "no_service_location": "无坐标 no location"}
FLAGS = {"impossible_speed": "速度异常 speed", "clock_skew": "时间不符 clock",
         "late": "延迟发送 late"}
PRECISION = {"exact": "精确坐标 exact", "district": "区县中心 district centre",
             "city": "城市中心 city centre"}


def _gps_part(session: Session, ticket: Ticket) -> list:
    """The GPS summary: where the work was, what each stamp proved, the emergency arrival."""
    trail = stamps.stamps_of(session, ticket.id)
    summary = stamps.summary(trail)
    if ticket.service_latitude is not None:
        where = (f"{ticket.service_latitude}, {ticket.service_longitude}"
                 f"（{PRECISION[ticket.service_location_precision]}）")
    else:
        where = "无坐标，无法核验到场 no coordinates: presence cannot be verified"
    first = summary.first_verified_arrival
    lines = [
        Line("服务地点 Service location", where),
        Line("电子围栏 Geofence", f"{stamps.geofence_m()} 米 m + 定位精度 accuracy"),
        Line("首次核验到场 First verified arrival",
              f"{_when(first.at)}，距离 {first.distance_m} 米 m" if first else "—"),
        Line("打卡 Stamps",
              f"共 {summary.count} 次 total；不在现场 off site {summary.off_site}；"
              f"异常 flagged {summary.flagged}；延迟发送 late {summary.late}"),
    ]
    if ticket.arrival_due_at is not None:
        met = {True: "达标 met", False: "未达标 failed", None: "待定 pending"}[ticket.arrival_met]
        lines.append(Line("紧急到场 Emergency arrival",
                           f"时限 due {_when(ticket.arrival_due_at)}：{met}"))
    story = [Paragraph("GPS 到场记录 GPS proof of presence", HEADING), facts(lines)]
    if trail:
        rows = []
        for stamp in sorted(trail, key=lambda s: s.at):
            flags = "、".join(FLAGS[f] for f in stamp.flags if f in FLAGS)
            rows.append([
                KINDS[stamp.kind], _when(stamp.at),
                f"{stamp.distance_m} 米 m ±{int(stamp.accuracy_m)}"
                if stamp.distance_m is not None else "—",
                STATUSES[stamp.status] + (f"；{flags}" if flags else ""),
            ])
        table = listing(["打卡 Stamp", "时间 Taken", "距离 Distance", "结果 Result"], rows,
                        [30 * mm, 40 * mm, 35 * mm, 65 * mm])
        story.append(Spacer(1, 2 * mm))
        story.append(table)
    return story
