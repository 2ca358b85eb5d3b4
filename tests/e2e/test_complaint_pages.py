from datetime import timedelta

from playwright.sync_api import expect

from aftersales.complaints.models import Complaint
from aftersales.core.clock import to_zone, utcnow
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.e2e.conftest import sign_in
from tests.factories import make_customer, make_user


def stored(complaint_id: int) -> Complaint:
    db.session.rollback()  # see what the live server committed
    return db.session.get(Complaint, complaint_id)


def test_a_handler_responds_from_the_queue_and_the_countdown_changes(page):
    make_user("complaint_handler", username="sunli")
    overdue = make_complaint(customer=make_customer(name="韩梅梅"),
                             now=utcnow() - timedelta(hours=30))
    sign_in(page, "sunli")
    page.goto("/complaints")
    card = page.locator(f"#complaint-{overdue.id}")
    expect(card.locator(".countdown")).to_have_attribute("data-state", "over")
    expect(card.locator(".countdown")).to_contain_text("已超时")
    card.locator("input[name=text]").fill("已致电客户致歉，明天上门")
    card.get_by_role("button", name="记录响应").click()
    expect(page.locator(".flash")).to_contain_text(overdue.number)
    card = page.locator(f"#complaint-{overdue.id}")
    expect(card.locator(".countdown")).to_have_attribute("data-state", "ok")
    expect(card.locator("input[name=text]")).to_have_count(0)
    assert stored(overdue.id).state == "acknowledged"


def test_the_countdown_turns_amber_in_the_last_quarter(page):
    make_user("complaint_handler", username="sunli")
    soon = make_complaint(now=utcnow() - timedelta(hours=20))
    sign_in(page, "sunli")
    page.goto("/complaints")
    expect(page.locator(f"#complaint-{soon.id} .countdown")).to_have_attribute(
        "data-state", "soon")


def test_the_queue_fits_a_phone(phone):
    make_user("complaint_handler", username="sunli")
    make_complaint(now=utcnow() - timedelta(hours=3))
    sign_in(phone, "sunli")
    phone.goto("/complaints")
    expect(phone.locator(".complaint-card")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_waiting_for_the_customer_stops_the_countdown(page):
    make_user("complaint_handler", username="sunli")
    complaint = make_complaint(now=utcnow() - timedelta(hours=3))
    sign_in(page, "sunli")
    page.goto(f"/complaints/{complaint.id}")
    page.fill("#f-reason", "等待客户提供发票照片")
    page.get_by_role("button", name="暂停计时").click()
    expect(page.locator(".countdown.paused").first).to_be_visible()
    page.get_by_role("button", name="客户已回复：恢复计时").click()
    expect(page.locator(".countdown[data-due]").first).to_be_visible()
    assert stored(complaint.id).paused_since is None


def test_an_agent_records_a_complaint_with_its_receipt_time(page):
    make_user("agent", username="zhangmin")
    make_customer(name="李雷", phone="13800002222")
    sign_in(page, "zhangmin")
    page.goto("/complaints/new")
    page.fill("#f-customer_q", "13800002222")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name="李雷 · 13800002222").click()
    page.select_option("#f-channel", "regulator")
    page.fill("#f-summary", "12315 转办：维修收费")
    page.fill("#f-description", "客户向 12315 投诉保修期内收费")
    received = to_zone(utcnow() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#f-received_at", received)
    page.get_by_role("button", name="登记投诉").click()
    expect(page.locator("h2").first).to_contain_text("12315 转办")
    expect(page.locator(".facts")).to_contain_text("监管部门转办")


def test_the_board_and_the_archive_check_render_on_a_phone(phone):
    make_user("manager", username="lijing")
    make_complaint(now=utcnow() - timedelta(hours=30))
    sign_in(phone, "lijing")
    phone.goto("/complaints/board")
    expect(phone.locator("#fig-response-24h")).to_have_text("0.0%")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto("/complaints/archive")
    expect(phone.locator("h1")).to_have_text("档案检查")


def test_a_manager_filters_all_complaints_and_opens_one(page):
    make_user("manager", username="lijing")
    make_complaint(summary="微博上的投诉", channel="social_media",
                   now=utcnow() - timedelta(hours=4))
    make_complaint(summary="热线投诉", now=utcnow() - timedelta(hours=3))
    sign_in(page, "lijing")
    page.goto("/complaints/all")
    page.select_option("select[name=channel]", "social_media")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    page.locator("table.list tbody a").first.click()
    expect(page.locator("h2").first).to_have_text("微博上的投诉")


def test_the_closed_loop_record_downloads_as_a_pdf_from_the_complaint_page(page, tmp_path):
    make_user("complaint_handler", username="sunli")
    complaint = make_complaint(customer=make_customer(name="韩梅梅"),
                               now=utcnow() - timedelta(hours=3))
    sign_in(page, "sunli")
    page.goto(f"/complaints/{complaint.id}")
    link = page.get_by_role("link", name="下载闭环记录 PDF")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"complaint-{complaint.id}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
