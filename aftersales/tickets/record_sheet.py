"""The repair record sheet (维修服务记录单): a PDF the customer keeps, in Chinese.

reportlab's built-in CID font STSong-Light renders Chinese without shipping a font file;
every PDF reader (and poppler) carries or substitutes it.
"""

import io
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, format_datetime
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core.clock import utcnow
from aftersales.customers import services as customer_services
from aftersales.outlets import services as outlet_services
from aftersales.tickets import field_work, loaners, stamps
from aftersales.tickets.labels import PRIORITY_LABELS, STATE_LABELS, TYPE_LABELS, WARRANTY_LABELS
from aftersales.tickets.models import Ticket

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=9, leading=12, alignment=1,
                          textColor=colors.HexColor("#52606d"))
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=11, leading=16, spaceBefore=6)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=13)
GRID = TableStyle([
    ("FONT", (0, 0), (-1, -1), FONT, 9),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f6")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
])


@dataclass(frozen=True)
class _Line:
    label: str
    value: str


def _when(moment: datetime | None) -> str:
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment else "—"


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def _facts(lines: list[_Line]) -> Table:
    rows = [[line.label, Paragraph(line.value or "—", CELL)] for line in lines]
    table = Table(rows, colWidths=[38 * mm, 132 * mm])
    table.setStyle(GRID)
    return table


def _product_lines(session: Session, ticket: Ticket) -> list[_Line]:
    product = (
        customer_services.get_product(session, ticket.product_id) if ticket.product_id else None
    )
    unit = customer_services.get_serial(session, ticket.serial_id) if ticket.serial_id else None
    return [
        _Line("产品 Product", f"{product.name}（{product.model_code}）" if product else "—"),
        _Line("序列号 Serial", unit.serial if unit else "—"),
        _Line("购买日期 Sold on", unit.sold_on.isoformat() if unit else "—"),
        _Line("保修至 Warranty until", unit.warranty_expires_on.isoformat() if unit else "—"),
        _Line("保修状态 Warranty", str(WARRANTY_LABELS[ticket.warranty_status])),
    ]


def _parts_table(session: Session, ticket: Ticket) -> tuple[Table | None, int]:
    used = field_work.parts_used(session, ticket.id)
    if not used:
        return None, 0
    names = {part.id: part for part in customer_services.parts_of(session, ticket.product_id)}
    rows = [["配件 Part", "编号 Code", "数量 Qty", "单价 Unit price", "收费 Charged"]]
    charged_total = 0
    for line in used:
        part = names.get(line.part_id)
        line_total = line.quantity * line.unit_price_fen if line.charged else 0
        charged_total += line_total
        rows.append([
            Paragraph(part.name if part else str(line.part_id), CELL), part.code if part else "",
            str(line.quantity), _yuan(line.unit_price_fen),
            _yuan(line_total) if line.charged else "保内免费 free",
        ])
    table = Table(rows, colWidths=[50 * mm, 30 * mm, 20 * mm, 32 * mm, 38 * mm], repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle([("BACKGROUND", (0, 1), (0, -1), colors.white),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6"))]))
    return table, charged_total


def _signature(session: Session, ticket: Ticket) -> list:
    signoff = field_work.signoff_of(session, ticket.id)
    if signoff is None:
        return [Paragraph("客户尚未签字确认。Not signed by the customer yet.", CELL)]
    image = Image(io.BytesIO(signoff.image_png))
    image._restrictSize(70 * mm, 28 * mm)
    return [
        image,
        Paragraph(f"签字人 Signed by：{signoff.signer_name}　时间 At：{_when(signoff.signed_at)}",
                  CELL),
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
        Paragraph(f"{config['COMPANY_NAME']} 维修服务记录单", TITLE),
        Paragraph(f"Repair service record / 服务热线 Hotline {config['SERVICE_HOTLINE']}",
                  SUBTITLE),
        Spacer(1, 4 * mm),
        _facts([
            _Line("工单号 Work order", ticket.number),
            _Line("类型 Type", f"{TYPE_LABELS[ticket.type]} / {PRIORITY_LABELS[ticket.priority]}"),
            _Line("状态 State", str(STATE_LABELS[ticket.state])),
            _Line("服务网点 Outlet", outlet.name if outlet else "—"),
            _Line("工程师 Technician", technician or "—"),
        ]),
        Paragraph("客户 Customer", HEADING),
        _facts([
            _Line("姓名 Name", customer.name),
            _Line("电话 Phone", customer.phone),
            _Line("服务地址 Address", ticket.service_address),
        ]),
        Paragraph("产品 Product", HEADING),
        _facts(_product_lines(session, ticket)),
        Paragraph("故障与处理 Problem and service", HEADING),
        _facts([
            _Line("故障描述 Problem", ticket.description),
            _Line("报修时间 Reported", _when(ticket.received_at)),
            _Line("到达现场 Arrived", _when(ticket.arrived_at)),
            _Line("完成时间 Resolved", _when(ticket.resolved_at)),
        ]),
    ]
    if parts is not None:
        story += [Paragraph("更换配件 Parts used", HEADING), parts]
    story += [Paragraph("费用 Fees", HEADING), _facts(_fee_lines(ticket, charged_total))]
    story += _loan_part(session, ticket)
    story += _gps_part(session, ticket)
    story += [Paragraph("客户确认 Customer sign-off", HEADING), *_signature(session, ticket),
              Spacer(1, 6 * mm),
              Paragraph(f"打印时间 Printed {_when(utcnow())}", SUBTITLE)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=16 * mm,
        bottomMargin=16 * mm, title=f"{ticket.number} 维修服务记录单",
        author=config["COMPANY_NAME"],
    )
    document.build(story)
    return buffer.getvalue()


def _fee_lines(ticket: Ticket, charged_total: int) -> list[_Line]:
    if not field_work.is_paid_work(ticket):
        return [_Line("收费 Charge", "保修期内，免费服务 In warranty: no charge")]
    accepted = (f"客户已于 {_when(ticket.quote_accepted_at)} 确认 accepted"
                if ticket.quote_accepted_at else "客户未确认 not accepted")
    quoted = _yuan(ticket.quote_fen) if ticket.quote_fen is not None else "—"
    return [
        _Line("报价 Quote", f"{quoted}（{accepted}）"),
        _Line("配件费 Parts", _yuan(charged_total)),
    ]


def _loan_part(session: Session, ticket: Ticket) -> list:
    loans = loaners.loans_of(session, ticket.id)
    if not loans:
        return []
    lines = [
        _Line(f"备用机 Loaner {unit.asset_tag}",
              f"{unit.description}：{_when(loan.lent_at)} 借出 lent，"
              + (f"{_when(loan.returned_at)} 归还 returned" if loan.returned_at
                 else f"应于 {_when(loan.due_back_at)} 前归还 due back"))
        for loan, unit in loans
    ]
    return [Paragraph("备用机 Loaner", HEADING), _facts(lines)]


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
        _Line("服务地点 Service location", where),
        _Line("电子围栏 Geofence", f"{stamps.geofence_m()} 米 m + 定位精度 accuracy"),
        _Line("首次核验到场 First verified arrival",
              f"{_when(first.at)}，距离 {first.distance_m} 米 m" if first else "—"),
        _Line("打卡 Stamps",
              f"共 {summary.count} 次 total；不在现场 off site {summary.off_site}；"
              f"异常 flagged {summary.flagged}；延迟发送 late {summary.late}"),
    ]
    if ticket.arrival_due_at is not None:
        met = {True: "达标 met", False: "未达标 failed", None: "待定 pending"}[ticket.arrival_met]
        lines.append(_Line("紧急到场 Emergency arrival",
                           f"时限 due {_when(ticket.arrival_due_at)}：{met}"))
    story = [Paragraph("GPS 到场记录 GPS proof of presence", HEADING), _facts(lines)]
    if trail:
        rows = [["打卡 Stamp", "时间 Taken", "距离 Distance", "结果 Result"]]
        for stamp in sorted(trail, key=lambda s: s.at):
            flags = "、".join(FLAGS[f] for f in stamp.flags if f in FLAGS)
            rows.append([
                KINDS[stamp.kind], _when(stamp.at),
                f"{stamp.distance_m} 米 m ±{int(stamp.accuracy_m)}"
                if stamp.distance_m is not None else "—",
                Paragraph(STATUSES[stamp.status] + (f"；{flags}" if flags else ""), CELL),
            ])
        table = Table(rows, colWidths=[30 * mm, 40 * mm, 35 * mm, 65 * mm], repeatRows=1)
        table.setStyle(GRID)
        table.setStyle(TableStyle([("BACKGROUND", (0, 1), (0, -1), colors.white),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6"))]))
        story.append(Spacer(1, 2 * mm))
        story.append(table)
    return story
