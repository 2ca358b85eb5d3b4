"""The company's registers in a browser: a manager records a customer meeting with its
minutes, and appoints a service mediator; an auditor reads the meetings on a phone."""

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.evidence.factories import days_ago
from tests.factories import make_user

PDF = b"%PDF-1.4\n% minutes of the meeting\n"


def test_a_manager_records_a_customer_meeting_with_its_minutes(page, tmp_path):
    make_user("manager", username="lijing")
    minutes = tmp_path / "纪要.pdf"
    minutes.write_bytes(PDF)
    sign_in(page, "lijing")
    page.goto("/meetings")
    expect(page.locator("#meetings-counted")).to_contain_text("0")
    page.fill("#f-held_on", days_ago(2).isoformat())
    page.fill("#f-topic", "客户恳谈会：安装预约")
    page.fill("#f-place", "北京总部会议室")
    page.fill("#f-attendees", "王芳, 业主代表\n刘建国, 用户代表")
    page.set_input_files("#f-file", str(minutes))
    page.get_by_role("button", name="登记恳谈会").click()
    expect(page.locator("h1")).to_have_text("客户恳谈会：安装预约")
    expect(page.locator("#attendees li")).to_have_count(2)
    expect(page.locator("#minutes a")).to_have_text("纪要.pdf")
    page.goto("/meetings")
    expect(page.locator("#meetings-counted")).to_contain_text("1")


def test_an_auditor_reads_the_meetings_on_a_phone(phone):
    from aftersales.extensions import db
    from aftersales.meetings import services

    services.record_meeting(db.session, make_user("manager"), days_ago(40), "下半年客户恳谈会",
                            "杭州服务中心", "钱伟\n吴静")
    db.session.commit()
    make_user("auditor", username="wuhao")
    sign_in(phone, "wuhao")
    phone.goto("/meetings")
    expect(phone.locator("#record-meeting")).to_have_count(0)
    row = phone.locator("#meetings tbody tr").first
    expect(row).to_contain_text("下半年客户恳谈会")
    expect(row).to_contain_text("未计入")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_a_manager_appoints_a_mediator_and_ends_the_appointment(page):
    make_user("manager", username="lijing")
    handler = make_user("complaint_handler")
    sign_in(page, "lijing")
    page.goto("/complaints/mediators")
    page.select_option("#f-user_id", str(handler.id))
    page.fill("#f-appointed_on", days_ago(30).isoformat())
    page.fill("#f-note", "售后〔2026〕3号")
    page.get_by_role("button", name="任命").click()
    row = page.locator("#mediators tbody tr").first
    expect(row).to_contain_text(handler.display_name)
    expect(row).to_contain_text("在任")
    row.get_by_role("button", name="结束任命").click()
    expect(page.locator("#mediators tbody tr").first).to_contain_text(days_ago(0).isoformat())
