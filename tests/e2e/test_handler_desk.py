"""A complaint handler's job on a desk and on a browser_page, from sign-in to a complete archive,
with no API call in between: find the complaint in the queue from the menu, respond,
escalate by hand, attach the letter, resolve, record the customer's confirmation; no page
on the way shows an internal identifier."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from aftersales.complaints.models import Complaint, ComplaintEscalation
from aftersales.core.clock import utcnow
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.e2e.conftest import internal_identifiers, open_from_menu, sign_in
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_handler_takes_a_complaint_to_a_complete_archive(screen, request, tmp_path):
    browser_page = request.getfixturevalue(screen)
    make_user("manager", username="lijing")
    handler = make_user("complaint_handler", username="sunli")
    complaint = make_complaint(actor=handler, now=utcnow())
    letter = tmp_path / "客户来信.pdf"
    letter.write_bytes(PDF)
    sign_in(browser_page, "sunli")
    open_from_menu(browser_page, "/complaints")
    assert internal_identifiers(browser_page) == []
    browser_page.locator(f"#complaint-{complaint.id} a", has_text=complaint.number).click()
    assert internal_identifiers(browser_page) == []
    browser_page.fill("#f-text", "已致电客户致歉，明天上门")
    browser_page.get_by_role("button", name="记录响应").click()
    browser_page.fill("#f-escalation_reason", "客户要求主管出面")
    browser_page.click("#escalate-now")
    browser_page.set_input_files("#f-file", str(letter))
    browser_page.get_by_role("button", name="上传", exact=True).click()
    browser_page.fill("#f-resolution", "更换压缩机并上门致歉")
    browser_page.fill("#f-root_cause", "压缩机批次缺陷")
    browser_page.get_by_role("button", name="标记为已处理").click()
    expect(browser_page.locator(".close-gaps")).to_be_visible()  # the confirmation is still missing
    browser_page.select_option("#f-satisfaction", "5")
    browser_page.get_by_role("button", name="记录确认").click()
    expect(browser_page.get_by_text("档案完整")).to_be_visible()
    assert internal_identifiers(browser_page) == []
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= (
        390 if screen == "phone" else 1280)
    db.session.rollback()  # see what the live server committed
    assert db.session.get(Complaint, complaint.id).state == "closed"
    assert db.session.scalars(select(ComplaintEscalation.recipient_role)).all() == ["supervisor"]
