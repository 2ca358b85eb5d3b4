import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import make_user


def test_sign_in_lands_on_the_home_page_in_chinese(page):
    make_user("manager", username="lijing")
    sign_in(page, "lijing")
    expect(page.locator("h1")).to_contain_text("您好")
    expect(page.locator(".roles")).to_contain_text("售后经理")


def test_a_wrong_password_is_refused_with_a_message(page):
    make_user("agent", username="zhangmin")
    page.goto("/login")
    page.fill("#f-username", "zhangmin")
    page.fill("#f-password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".form-error")).to_contain_text("用户名或密码错误")


def test_a_page_asked_for_before_sign_in_opens_after_it(page):
    make_user("admin", username="wanglei")
    page.goto("/admin/users")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#f-username", "wanglei")
    page.fill("#f-password", "correct-horse-9")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/users$"))


def test_the_language_switch_turns_the_page_into_english_and_back(page):
    make_user("agent", username="zhangmin")
    sign_in(page, "zhangmin")
    page.click("a.lang")
    expect(page.locator("h1")).to_contain_text("Hello")
    page.click("a.lang")
    expect(page.locator("h1")).to_contain_text("您好")


def test_an_admin_creates_a_user_and_a_bad_field_is_explained_beside_it(page):
    make_user("admin", username="wanglei")
    sign_in(page, "wanglei")
    page.goto("/admin/users/new")
    page.fill("#f-username", "zhaoqiang")
    page.fill("#f-display_name", "赵强")
    page.fill("#f-password", "short")
    page.check("input[value=technician]")
    page.get_by_role("button", name="创建", exact=True).click()
    expect(page.locator("#e-password")).to_contain_text("10")
    page.fill("#f-password", "a-long-enough-password")
    page.get_by_role("button", name="创建", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.locator("table.list")).to_contain_text("zhaoqiang")


def test_an_admin_disables_a_user_and_sees_it_in_the_record_history(page):
    make_user("admin", username="wanglei")
    make_user("agent", username="zhangmin")
    sign_in(page, "wanglei")
    page.goto("/admin/users")
    row = page.locator("tr", has_text="zhangmin")
    row.get_by_role("button").click()
    expect(page.locator("tr", has_text="zhangmin")).to_contain_text("已停用")
    page.locator("tr", has_text="zhangmin").get_by_role("link", name="历史").click()
    expect(page.locator(".timeline .entry").first).to_contain_text("账号停用")
    expect(page.locator(".timeline .entry").first).to_contain_text("wanglei")


def test_a_technician_creates_and_revokes_an_api_token_on_a_phone(phone):
    make_user("technician", username="zhaoqiang")
    sign_in(phone, "zhaoqiang")
    phone.goto("/account/tokens")
    phone.fill("#f-name", "我的手机")
    phone.click("button.primary")
    expect(phone.locator("#new-secret")).to_have_text(re.compile(r"^as_"))
    phone.get_by_role("button", name="吊销").click()
    expect(phone.locator("tr.revoked")).to_contain_text("我的手机")


def test_signing_out_returns_to_the_sign_in_page(phone):
    make_user("trainer", username="zhouting")
    sign_in(phone, "zhouting")
    phone.get_by_role("button", name="退出").click()
    expect(phone).to_have_url(re.compile(r"/login$"))


def test_an_admin_scopes_a_users_roles_to_one_outlet(page):
    from tests.factories import make_outlet

    make_outlet(code="SH-01", name="上海浦东服务中心", region_code="310100")
    make_user("admin", username="wanglei")
    make_user("dispatcher", username="chenchen")
    sign_in(page, "wanglei")
    page.goto("/admin/users")
    page.get_by_role("link", name="chenchen").click()
    page.check("input[value=technician]")
    page.select_option("#f-scope", label="SH-01 上海浦东服务中心")
    page.get_by_role("button", name="保存").click()
    row = page.locator("tr", has_text="chenchen")
    expect(row).to_contain_text("维修技师 · SH-01")
    expect(row).to_contain_text("调度员 · SH-01")


def test_home_shows_the_handlers_overdue_complaints_and_leads_to_the_queue(phone):
    from datetime import timedelta

    from sqlalchemy import update

    from aftersales.complaints.models import Complaint
    from aftersales.core.clock import utcnow
    from aftersales.extensions import db
    from tests.complaints.factories import make_complaint

    late = make_complaint()
    db.session.execute(update(Complaint).where(Complaint.id == late.id)
                       .values(next_due_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    make_user("complaint_handler", username="sunli")
    sign_in(phone, "sunli")
    tile = phone.locator("a.work-tile.alert")
    expect(tile.locator(".work-figure")).to_have_text("1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    tile.click()
    expect(phone).to_have_url(re.compile(r"/complaints$"))
