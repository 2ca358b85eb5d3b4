"""Demo evidence: managed documents (most in force, two lapsed), attestations, a few
improvement actions and special deductions, one clause excluded, and a full snapshot for
each of the last twelve weeks so the dashboard has a trend, and the last full quarter
frozen as an audit period, ready to export."""

import random
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core.audit import Actor
from aftersales.core.clock import DEFAULT_ZONE, local_today
from aftersales.core.sample_input import MAX_SEED
from aftersales.evidence import services
from aftersales.evidence.audit import periods
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance import engine, rubric

WEEKS = 12


def _pdf(title: str) -> bytes:
    """A small valid PDF naming the document (content-checked like any upload)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    body += trailer.encode()
    return body


# kind, days since effective, review in days from today (negative: lapsed), approved
DOCUMENTS = (
    ("org_chart", 400, 200), ("service_manual", 300, 65), ("laws_list", 250, 120),
    ("service_commitments", 200, 165), ("fee_schedule", 150, 215), ("privacy_policy", 120, 245),
    ("supervision_charter", 90, 275), ("performance_targets", 60, 300),
    ("certificates", 700, 400), ("product_manuals", 45, None), ("warranty_policy", 30, None),
    ("facilities_ledger", 21, 340), ("emergency_plan", 14, 350), ("defect_disclosure", 100, 265),
    # lapsed: the budget's review day passed, and the recycling notice expired
    ("budget", 380, -20), ("recycling_notice", 400, -45),
)
# clause, signed days ago, the records it rests on
ATTESTED = (
    ("5.1.7.1", 200, "访谈记录：北京、上海网点员工各 5 人"),
    ("5.1.6.2", 150, "委托协议：XX 大学家电研究所 2026-03"),
    ("5.2.1.1", 80, ""),
    ("5.2.3.1", 40, "包装抽检记录 2026 第 3 批"),
)
ATTESTATION_TEXT = {
    "5.1.7.1": "经抽查访谈，员工能够准确说明公司服务理念。",
    "5.1.6.2": "疑难问题已委托专业机构研究，见委托协议。",
    "5.2.1.1": "抽查商品包装，企业及商品信息完整准确。",
    "5.2.3.1": "抽检包装完整、安全，便于运输。",
}


def load(session: Session, rng: random.Random) -> int:
    manager = core_services.find_user(session, "manager")
    approver = core_services.find_user(session, "admin")  # four eyes: not the uploader
    today = local_today()
    catalog = catalog_module.load()
    for kind, since, review in DOCUMENTS:
        title = catalog.documents[kind].zh
        document = services.create_document(session, manager, kind, title)
        effective = today - timedelta(days=since)
        version = services.add_version(
            session, manager, document, "V1.0", effective,
            today + timedelta(days=review) if review is not None else None,
            f"{kind}.pdf", _pdf(f"{kind} V1.0"),
        )
        services.approve_version(session, approver, version)
        # The demo's history: approved on its effective day, as the records it stands
        # beside were made in the past.
        version.approved_at = datetime.combine(effective, time(9), DEFAULT_ZONE)
    for number, days_ago, records in ATTESTED:
        signed_on = today - timedelta(days=days_ago)
        attestation = services.sign_attestation(
            session, manager, number, ATTESTATION_TEXT[number], evidence_records=records,
            signed_on=signed_on,
        )
        attestation.signed_at = datetime.combine(signed_on, time(10), DEFAULT_ZONE)
    _registers(session, manager, today, rng)
    rubric.set_clause(session, manager, "5.2.5.5", 1, False,
                      "本企业为生产型企业，非贸易型企业（6.2.2）", "按 6.2.2 排除不适用条款")
    rubric.set_setting(session, manager, "system_started_on",
                       (today - timedelta(days=200)).isoformat(), "售后服务系统上线日期")
    for week in range(WEEKS, 0, -1):
        day = today - timedelta(weeks=week)
        engine.compute(session, datetime.combine(day, time(1, 15), DEFAULT_ZONE), kind="full")
    engine.compute(session, kind="full")
    _freeze_last_quarter(session, manager, today, rng)
    return len(DOCUMENTS)


def _freeze_last_quarter(session: Session, manager, today, rng: random.Random) -> None:
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    last_day = quarter_start - timedelta(days=1)
    first_day = last_day.replace(month=last_day.month - 2, day=1)
    periods.freeze(session, Actor(manager.id, manager.username), first_day, last_day,
                   seed=rng.randrange(MAX_SEED))


def _registers(session, manager, today, rng) -> None:
    actions = (
        ("回访差评集中于上门迟到：调整派工时段", "return_visit", "调度组 刘洋", 70, 60),
        ("备件缺货导致维修超时：增加常用备件安全库存", "audit", "仓储 王芳", 60, 58),
        ("热线高峰时段漏接：增加午间排班", "self_assessment", "客服组 张敏", 40, 45),
        ("投诉处理话术培训", "complaint", "培训主管 周婷", 20, None),
        ("安装验收单补充安全检查项", "other", "技术部 赵强", -10, None),
    )
    for title, source, owner, due_in_days_ago, done_days_ago in actions:
        opened = today - timedelta(days=due_in_days_ago + 30)
        due = today - timedelta(days=due_in_days_ago)
        action = services.create_action(session, manager, title, source, owner, due,
                                        clause_number="5.1.6.1", opened_on=opened)
        if done_days_ago is not None:
            services.set_action_status(session, action, "done", result="已完成并验证",
                                       done_on=today - timedelta(days=done_days_ago))
    first = services.create_item(
        session, manager, "deduction", "company_rule",
        "抽查发现1张工单维修记录未经顾客签字即关闭", raised_on=today - timedelta(days=50),
        clause_number="5.2.4.3", rectify_by=today - timedelta(days=20),
    )
    services.set_item_status(session, first, "rectified",
                             rectification="补签并对技术员再培训",
                             rectified_on=today - timedelta(days=25))
    services.create_item(
        session, manager, "deduction", "law",
        "保修卡三包条款表述与《部分商品修理更换退货责任规定》不一致",
        raised_on=today - timedelta(days=12), clause_number="5.2.5.2",
        rectify_by=today + timedelta(days=18),
    )
