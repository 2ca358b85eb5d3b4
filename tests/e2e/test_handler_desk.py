"""A complaint handler's job on a phone, from sign-in to a complete archive, with no API
call in between: respond, escalate by hand, attach the letter, resolve, record the
customer's confirmation."""

from playwright.sync_api import expect
from sqlalchemy import select

from aftersales.complaints.models import Complaint, ComplaintEscalation
from aftersales.core.clock import utcnow
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.e2e.conftest import sign_in
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_handler_takes_a_complaint_to_a_complete_archive_on_a_phone(phone, tmp_path):
    make_user("manager", username="lijing")
    handler = make_user("complaint_handler", username="sunli")
    complaint = make_complaint(actor=handler, now=utcnow())
    letter = tmp_path / "客户来信.pdf"
    letter.write_bytes(PDF)
    sign_in(phone, "sunli")
    phone.goto(f"/complaints/{complaint.id}")
    phone.fill("#f-text", "已致电客户致歉，明天上门")
    phone.get_by_role("button", name="记录响应").click()
    phone.fill("#f-escalation_reason", "客户要求主管出面")
    phone.click("#escalate-now")
    phone.set_input_files("#f-file", str(letter))
    phone.get_by_role("button", name="上传", exact=True).click()
    phone.fill("#f-resolution", "更换压缩机并上门致歉")
    phone.fill("#f-root_cause", "压缩机批次缺陷")
    phone.get_by_role("button", name="标记为已处理").click()
    expect(phone.locator(".close-gaps")).to_be_visible()  # the confirmation is still missing
    phone.select_option("#f-satisfaction", "5")
    phone.get_by_role("button", name="记录确认").click()
    expect(phone.get_by_text("档案完整")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    db.session.rollback()  # see what the live server committed
    assert db.session.get(Complaint, complaint.id).state == "closed"
    assert db.session.scalars(select(ComplaintEscalation.recipient_role)).all() == ["supervisor"]
