"""Training in a real browser: a trainer creates a session, a trainee signs in on a
phone-sized page by the QR code's address, the trainer records the exam scores."""

from datetime import timedelta

from playwright.sync_api import expect

from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.extensions import db
from aftersales.training.models import Attendance
from tests.e2e.conftest import decoded_width, fill_in_a_session, sign_in
from tests.factories import make_user
from tests.training.factories import make_staff


def stored_attendance() -> list[Attendance]:
    db.session.rollback()  # see what the live server committed
    return db.session.query(Attendance).order_by(Attendance.id).all()


def test_session_sign_in_on_a_phone_and_exam_scores(page, phone):
    make_user("trainer", username="zhouting")
    trainee = make_user("technician", username="zhaoqiang")
    make_staff(employee_no="E10001", name="赵强", user_id=trainee.id)
    make_staff(employee_no="E10002", name="钱多")
    db.session.commit()

    sign_in(page, "zhouting")
    page.goto("/training/sessions/new")
    start = (utcnow() - timedelta(minutes=10)).astimezone(DEFAULT_ZONE)
    fill_in_a_session(page, "变频空调故障诊断", start, "北京培训中心 301", "70")
    expect(page.locator("h1")).to_have_text("变频空调故障诊断")
    expect(page.locator(".t-qr img")).to_be_visible()
    assert decoded_width(page, ".t-qr img") > 0
    page.fill("#f-employee_nos", "E10001 E10002")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator("#roster tbody tr")).to_have_count(2)
    sign_in_url = page.locator(".t-url a").get_attribute("href")

    # The trainee scans the QR code: the phone opens its address, logs in, signs in.
    phone.goto(sign_in_url)
    phone.fill("#f-username", "zhaoqiang")
    phone.fill("#f-password", "correct-horse-9")
    phone.click("button[type=submit]")
    expect(phone.locator("h1")).to_have_text("变频空调故障诊断")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="签到").tap()
    expect(phone.locator(".t-done")).to_be_visible()
    assert [a.method for a in stored_attendance()] == ["qr", None]

    # The trainer ticks the other trainee on the roster, then records both scores.
    page.reload()
    expect(page.locator("#present-count")).to_have_text("1 / 2")
    page.get_by_role("checkbox", name="钱多").check()
    page.get_by_role("button", name="保存点名").click()
    expect(page.locator("#present-count")).to_have_text("2 / 2")
    page.get_by_role("textbox", name="赵强").fill("86")
    page.get_by_role("textbox", name="钱多").fill("65")
    page.get_by_role("button", name="保存成绩").click()
    expect(page.locator(".flash")).to_contain_text("成绩已保存")
    expect(page.locator("#scores-form .t-result")).to_have_text(["合格", "不合格"])
    assert [(a.score, a.passed) for a in stored_attendance()] == [(86, True), (65, False)]
