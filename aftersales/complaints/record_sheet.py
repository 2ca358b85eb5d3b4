"""The complaint closed-loop record sheet (投诉处理闭环记录): one complaint from receipt to
the customer's confirmation as a PDF, for the archive and the audit package.

Everything an auditor checks of clause 5.3.2: who complained about what, the clocks of every
cycle (met or missed and by how much), pauses, escalations, the timeline, the handling, the
customer's word and the attachments (listed with their SHA-256, not embedded). Labels are
Chinese with the English beside them; times are Beijing time; personal data is masked by
the shared rules of aftersales/core/privacy.py.

Two steps (aftersales/core/pdf.py): `sheet_data` reads what the sheet prints, as data, in a
fixed number of set-based queries however long the timeline (`sheets_data`: the same for a
batch of complaints, however many); `sheet_pdf` renders that data alone, so a sheet frozen
with an audit period prints the same at every export.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import LazyString, force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.complaints import services
from aftersales.complaints.labels import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    CLOCK_LABELS,
    EVENT_LABELS,
    RECIPIENT_LABELS,
    SEVERITY_LABELS,
    STATE_LABELS,
    step_label,
)
from aftersales.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintClock,
    ComplaintEscalation,
    ComplaintEvent,
    ComplaintPause,
)
from aftersales.core import audit
from aftersales.core import services as core_services
from aftersales.core import settings as core_settings
from aftersales.core.clock import utcnow
from aftersales.core.privacy import mask_phone
from aftersales.core.sheets import both, document, render_blocks, when, yuan
from aftersales.customers import services as customer_services
from aftersales.evidence import services as evidence_services
from aftersales.outlets import services as outlet_services
from aftersales.tickets.labels import ticket_number

CALENDAR_NAMES = {"clock": "自然时 clock hours", "business": "工作时 business hours"}
OUTCOMES = {True: "达标 met", False: "超时 missed", None: "计时中 running"}


def render(session: Session, complaint: Complaint) -> bytes:
    """The sheet of the complaint as it is now (the page and API downloads)."""
    return sheet_pdf(sheet_data(session, complaint.id))


# The PDF from the sheet's data alone: the same bytes for the same data.
sheet_pdf = render_blocks


def improvement_action_title(session: Session, complaint: Complaint) -> str | None:
    action_id = complaint.improvement_action_id
    return evidence_services.action_titles(session, {action_id}).get(action_id) \
        if action_id else None


def sheet_data(session: Session, complaint_id: int) -> dict | None:
    """Everything the sheet prints, JSON-ready, as of now; None: no such complaint."""
    return sheets_data(session, [complaint_id]).get(complaint_id)


def sheets_data(session: Session, complaint_ids) -> dict[int, dict]:
    """The data of the sheets of these complaints by id, as `sheet_data` gives each (a
    complaint that does not exist has none), read with one query per table for the whole
    batch, not one per sheet."""
    records, related = _Record.load_all(session, complaint_ids)
    as_of = utcnow()
    company = core_settings.platform().company_name
    with force_locale("zh"):
        return {record.complaint.id: document(
            f"{record.complaint.number} 投诉处理闭环记录", company, as_of,
            _blocks(record, related)) for record in records}


def _duration(seconds: int | None) -> str:
    """7 d, 24 h, 2 h 05 min (days only from two days up)."""
    if seconds is None:
        return "—"
    days, rest = divmod(abs(seconds), 86400) if abs(seconds) >= 2 * 86400 else (0, abs(seconds))
    hours, rest = divmod(rest, 3600)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{rest // 60:02d} min" if rest // 60 else ""]
    return " ".join(part for part in parts if part) or "0 min"


def _variance(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    word = "提前 early" if seconds <= 0 else "超出 late"
    return f"{word} {_duration(seconds)}"


@dataclass(frozen=True)
class _Attachment:
    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    uploaded_at: datetime


@dataclass
class _Record:
    """The complaint with everything the sheet shows, read in a few set-based queries."""

    complaint: Complaint
    clocks: list[ComplaintClock]
    pauses: list[ComplaintPause]
    events: list[ComplaintEvent]
    escalations: list[ComplaintEscalation]
    attachments: list[_Attachment]
    people: dict[int, str]
    improvement_action: str | None  # its title

    @classmethod
    def load_all(cls, session: Session, complaint_ids) -> tuple[list["_Record"], "_Related"]:
        """The records of these complaints (those that exist, by id) and the customers,
        products and outlets they name."""
        ids = sorted(set(complaint_ids))
        complaints = list(session.scalars(select(Complaint).where(Complaint.id.in_(ids))
                                          .order_by(Complaint.id))) if ids else []
        ids = [complaint.id for complaint in complaints]
        events = services.timelines(session, ids)
        pauses = services.pauses_by_complaint(session, ids)
        clocks = services.clocks_by_complaint(session, ids)
        escalations = services.escalations_by_complaint(session, ids)
        attachments = _attachments(session, ids)
        user_ids = {user_id for complaint in complaints for user_id in (
            complaint.handler_id, complaint.received_by_id, complaint.entered_by_id)}
        user_ids |= {event.actor_id for timeline in events.values() for event in timeline}
        user_ids |= {user_id for spans in pauses.values() for p in spans
                     for user_id in (p.started_by_id, p.ended_by_id)}
        people = core_services.display_names(session, {u for u in user_ids if u})
        actions = evidence_services.action_titles(session, {
            c.improvement_action_id for c in complaints if c.improvement_action_id})
        records = [cls(
            complaint=complaint, clocks=clocks.get(complaint.id, []),
            pauses=pauses.get(complaint.id, []),
            events=sorted(events.get(complaint.id, []), key=lambda e: (e.at, e.id)),
            escalations=escalations.get(complaint.id, []),
            attachments=attachments.get(complaint.id, []), people=people,
            improvement_action=actions.get(complaint.improvement_action_id),
        ) for complaint in complaints]
        return records, _Related.load(session, complaints)

    def person(self, user_id: int | None, fallback: str = "—") -> str:
        return self.people.get(user_id, fallback) if user_id else fallback

    def at_by(self, moment: datetime, user_id: int | None) -> str:
        return f"{when(moment)}（{self.person(user_id)}）" if user_id else when(moment)


@dataclass(frozen=True)
class _Related:
    """The customers, products and outlets a batch of complaints names, by id."""

    customers: dict
    products: dict
    outlets: dict

    @classmethod
    def load(cls, session: Session, complaints: list[Complaint]) -> "_Related":
        return cls(
            customers=customer_services.customers_by_id(
                session, {complaint.customer_id for complaint in complaints}),
            products=customer_services.products_by_id(
                session, {complaint.product_id for complaint in complaints}),
            outlets=outlet_services.outlets_by_id(session, (c.outlet_id for c in complaints)),
        )


def _attachments(session: Session, complaint_ids: list[int]) -> dict[int, list[_Attachment]]:
    """What is attached to each complaint, without reading the files themselves."""
    found: dict[int, list[_Attachment]] = defaultdict(list)
    if complaint_ids:
        rows = session.execute(
            select(ComplaintAttachment.complaint_id, ComplaintAttachment.filename,
                   ComplaintAttachment.media_type, ComplaintAttachment.size_bytes,
                   ComplaintAttachment.sha256, ComplaintAttachment.uploaded_at)
            .where(ComplaintAttachment.complaint_id.in_(complaint_ids))
            .order_by(ComplaintAttachment.id)
        )
        for complaint_id, *attachment in rows:
            found[complaint_id].append(_Attachment(*attachment))
    return found


def _blocks(record: _Record, related: _Related) -> list[dict]:
    complaint = record.complaint
    return [
        {"title": f"{core_settings.platform().company_name} 投诉处理闭环记录"},
        {"subtitle": "Complaint closed-loop record / 时间均为北京时间 Times are Beijing time "
                     "(UTC+8)"},
        {"spacer_mm": 4},
        {"facts": _identity_lines(complaint)},
        {"heading": "客户与关联记录 Customer and related records"},
        {"facts": _customer_lines(related, complaint)},
        {"heading": "投诉内容 Complaint"},
        {"facts": [["摘要 Summary", complaint.summary],
                   ["描述 Description", complaint.description]]},
        {"heading": "受理与响应 Intake and first response"},
        {"facts": _intake_lines(record)},
        *_clock_part(record),
        *_escalation_part(record),
        {"heading": "处理结果 Handling"},
        {"facts": _handling_lines(record)},
        {"heading": "客户确认与结案 Customer confirmation and closing"},
        {"facts": _confirmation_lines(record)},
        *_cycle_part(record),
        *_attachment_part(record),
        *_history_part(record),
    ]


def _identity_lines(complaint: Complaint) -> list[list[str]]:
    channel = both(CHANNEL_LABELS[complaint.channel])
    if complaint.external_ref:
        channel += f"（{complaint.external_ref}）"
    state = both(STATE_LABELS[complaint.state])
    if complaint.cycle > 1:
        state += f"（第 {complaint.cycle} 轮 cycle {complaint.cycle}）"
    return [
        ["投诉编号 Complaint no.", complaint.number],
        ["状态 State", state],
        ["受理渠道 Channel", channel],
        ["投诉类别 Category", both(CATEGORY_LABELS[complaint.category])],
        ["严重程度 Severity", both(SEVERITY_LABELS[complaint.severity])],
        ["计时方式 Calendar", CALENDAR_NAMES.get(complaint.calendar, complaint.calendar)],
    ]


def _customer_lines(related: _Related, complaint: Complaint) -> list[list[str]]:
    customer = related.customers[complaint.customer_id]
    product = related.products.get(complaint.product_id)
    outlet = related.outlets.get(complaint.outlet_id)
    return [
        ["客户 Customer", customer.name],
        ["电话 Phone", mask_phone(customer.phone)],
        ["关联工单 Work order",
             ticket_number(complaint.ticket_id) if complaint.ticket_id else "—"],
        ["产品 Product", f"{product.name}（{product.model_code}）" if product else "—"],
        ["服务网点 Outlet", outlet.name if outlet else "—"],
    ]


def _intake_lines(record: _Record) -> list[list[str]]:
    complaint = record.complaint
    latest = "（最近一轮 latest cycle）" if complaint.cycle > 1 else ""
    return [
        ["接收时间 Received at", record.at_by(complaint.received_at, complaint.received_by_id)],
        ["录入时间 Entered at", record.at_by(complaint.entered_at, complaint.entered_by_id)],
        ["首次响应 First response at", when(complaint.acknowledged_at)],
        ["响应内容 Response", (complaint.acknowledgement or "—") + latest],
    ]


def _clock_part(record: _Record) -> list:
    rows = [
        [str(clock.cycle), both(CLOCK_LABELS[clock.kind]), when(clock.started_at),
         _duration(clock.target_seconds), when(clock.due_at) if clock.due_at else "暂停 paused",
         when(clock.stopped_at), OUTCOMES[clock.met], _variance(clock.variance_seconds),
         _duration(clock.paused_seconds or None)]
        for clock in record.clocks
    ]
    blocks = [
        {"heading": "时限 Service-level clocks"},
        _small_listing(["轮次 Cycle", "时钟 Clock", "开始 Started", "时限 Target", "到期 Due",
                        "停止 Stopped", "结果 Outcome", "偏差 Variance", "暂停 Paused"],
                       rows, [12, 20, 20, 14, 20, 20, 24, 24, 16]),
    ]
    if record.pauses:
        pauses = [
            [str(p.cycle), when(p.started_at), when(p.ended_at) if p.ended_at else "暂停中 open",
             _duration(int((p.ended_at - p.started_at).total_seconds())) if p.ended_at else "—",
             p.reason, record.person(p.started_by_id)]
            for p in record.pauses
        ]
        blocks += [
            {"spacer_mm": 2},
            _small_listing(["轮次 Cycle", "暂停 Paused", "恢复 Resumed", "时长 Length",
                            "原因 Reason（等待客户 waiting for the customer）", "操作人 By"],
                           pauses, [12, 24, 24, 18, 64, 28]),
        ]
    return blocks


def _small_listing(header: list[str], rows: list[list[str]], widths_mm: list[float],
                   **options) -> dict:
    return {"listing": {"header": header, "rows": rows, "widths_mm": widths_mm, "small": True,
                        **options}}


def _escalation_part(record: _Record) -> list:
    heading = {"heading": "升级 Escalations"}
    if not record.escalations:
        return [heading, {"text": "未触发升级。No escalation step fired."}]
    rows = [
        [str(step.cycle), both(LazyString(step_label, step.step_key)),
         both(CLOCK_LABELS[step.clock_kind]),
         both(RECIPIENT_LABELS.get(step.recipient_role, step.recipient_role)),
         when(step.due_at), when(step.fired_at), str(step.notified)]
        for step in record.escalations
    ]
    return [heading, _small_listing(
        ["轮次 Cycle", "步骤 Step", "时钟 Clock", "通知 Notify", "应触发 Due", "触发 Fired",
         "通知人数 Notified"],
        rows, [12, 32, 22, 24, 28, 28, 24],
    )]


def _handling_lines(record: _Record) -> list[list[str]]:
    complaint = record.complaint
    compensation = yuan(complaint.compensation_fen)
    if complaint.compensation_note:
        compensation += f"（{complaint.compensation_note}）"
    earlier = ("（上一轮 from an earlier cycle）"
               if complaint.resolution and complaint.resolved_at is None else "")
    return [
        ["处理人 Handler", record.person(complaint.handler_id, "未分配 not assigned")],
        ["根本原因 Root cause", (complaint.root_cause or "—") + earlier],
        ["解决方案 Resolution", (complaint.resolution or "—") + earlier],
        ["解决时间 Resolved at", when(complaint.resolved_at)],
        ["纠正措施 Corrective action", complaint.corrective_action or "—"],
        ["改进措施 Improvement action",
         record.improvement_action or "—"],
        ["赔偿 Compensation", compensation],
        ["调解人 Mediator", complaint.mediator or "—"],
        ["调解结果 Mediation note", complaint.mediation_note or "—"],
    ]


def _confirmation_lines(record: _Record) -> list[list[str]]:
    complaint = record.complaint
    satisfaction = f"{complaint.satisfaction} / 5" if complaint.satisfaction else "—"
    lines = [
        ["客户确认 Confirmed at", when(complaint.customer_confirmed_at)],
        ["满意度 Satisfaction", satisfaction],
        ["客户意见 Feedback", complaint.customer_feedback or "—"],
        ["结案时间 Closed at", when(complaint.closed_at)],
    ]
    if complaint.closed_at and complaint.customer_confirmed_at is None:
        note = _last_text(record, "closed")
        lines.append(["未经客户确认结案 Closed unconfirmed", note or "—"])
    return lines


def _last_text(record: _Record, kind: str) -> str | None:
    texts = [event.text for event in record.events if event.kind == kind]
    return texts[-1] if texts else None


@dataclass
class _Cycle:
    number: int
    started_at: datetime | None = None
    response: ComplaintEvent | None = None
    resolution: ComplaintEvent | None = None
    ending: str = "处理中 open"


ENDINGS = {"confirmed": "客户确认 confirmed", "closed": "未经确认结案 closed unconfirmed",
           "reopened": "重开 reopened"}


def _cycles(record: _Record) -> list[_Cycle]:
    """Each handling cycle from its timeline: started, responded, resolved, and how it
    ended (confirmed, closed without confirmation, or reopened, with the reason)."""
    cycles: dict[int, _Cycle] = {}
    for event in record.events:
        if event.kind == "reopened":  # ends the cycle before it; starts this one
            cycles.setdefault(event.cycle - 1, _Cycle(event.cycle - 1)).ending = (
                f"{ENDINGS['reopened']}：{event.text or ''}"
            )
        cycle = cycles.setdefault(event.cycle, _Cycle(event.cycle))
        if event.kind in ("received", "reopened") and cycle.started_at is None:
            cycle.started_at = (record.complaint.received_at if event.kind == "received"
                                else event.at)
        elif event.kind == "acknowledged" and cycle.response is None:
            cycle.response = event
        elif event.kind == "resolved":
            cycle.resolution = event
            cycle.ending = "待客户确认 awaiting confirmation"
        elif event.kind in ("confirmed", "closed"):
            cycle.ending = ENDINGS[event.kind] + (f"：{event.text}" if event.text else "")
    return [cycles[number] for number in sorted(cycles)]


def _step_text(step: ComplaintEvent | None) -> str:
    return f"{when(step.at)}\n{step.text or ''}" if step else "—"


def _cycle_part(record: _Record) -> list:
    rows = [
        [str(c.number), when(c.started_at), _step_text(c.response), _step_text(c.resolution),
         c.ending]
        for c in _cycles(record)
    ]
    reopened = record.complaint.cycle - 1
    times = f"重开 {reopened} 次 reopened {reopened}×" if reopened else "未重开 never reopened"
    return [
        {"heading": f"处理轮次 Handling cycles（{times}）"},
        _small_listing(["轮次 Cycle", "开始 Started", "响应 Response", "解决 Resolution",
                        "结果 How it ended"],
                       rows, [12, 22, 44, 44, 48]),
    ]


def _attachment_part(record: _Record) -> list:
    heading = {"heading": "附件 Attachments（仅列出，未嵌入 listed, not embedded）"}
    if not record.attachments:
        return [heading, {"text": "无附件。No attachment."}]
    rows = [
        [item.filename, item.media_type.split("/")[-1].upper(), _size(item.size_bytes),
         when(item.uploaded_at), f"{item.sha256[:32]}\n{item.sha256[32:]}"]
        for item in record.attachments
    ]
    return [heading, _small_listing(
        ["文件名 File", "类型 Type", "大小 Size", "上传 Uploaded", "SHA-256"],
        rows, [62, 14, 16, 22, 56], mono_columns=[4],
    )]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


# Who acted when no user did, as the audit trail labels them.
UNNAMED_ACTORS = {audit.SYSTEM.label: "系统 system",
                  audit.PORTAL_CUSTOMER.label: "顾客，经门户网站 the customer, on the portal"}


def _actor(record: _Record, event: ComplaintEvent) -> str:
    if event.actor_id:
        return record.person(event.actor_id, event.actor_label)
    return UNNAMED_ACTORS.get(event.actor_label, event.actor_label)


def _history_part(record: _Record) -> list:
    rows = [
        [when(event.at), str(event.cycle), both(EVENT_LABELS[event.kind]),
         _actor(record, event),
         event.text or ""]
        for event in record.events
    ]
    return [
        {"heading": "处理记录 Event history"},
        _small_listing(["时间 At", "轮次 Cycle", "事件 Event", "操作人 By", "内容 Details"],
                       rows, [22, 12, 30, 24, 82]),
    ]

