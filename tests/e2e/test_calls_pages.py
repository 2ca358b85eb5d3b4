import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from aftersales.calls.models import Call
from aftersales.extensions import db
from tests.calls.factories import BASE_DAY, at, make_missed
from tests.e2e.conftest import sign_in
from tests.factories import make_customer, make_user


def calls_in_log() -> int:
    db.session.rollback()  # see what the live server committed
    return db.session.scalar(select(func.count()).select_from(Call))


def test_an_agent_logs_a_call_on_a_phone(phone):
    make_user("agent", username="zhangmin")
    make_customer(name="王芳", phone="13912345678")
    sign_in(phone, "zhangmin")
    phone.click("#nav-menu summary")  # the menu folds behind one button on a phone
    phone.click("nav.nav a[href='/calls']")
    phone.fill("#f-caller_number", "139 1234 5678")
    phone.fill("#f-note", "空调不制冷")
    button = phone.locator("button.big")
    assert button.bounding_box()["height"] >= 44
    button.click()
    expect(phone.locator(".flash")).to_contain_text("13912345678")
    row = phone.locator("table.calls tbody tr").first
    expect(row).to_contain_text("王芳")
    expect(row).to_contain_text("空调不制冷")


def test_a_missed_call_without_its_end_time_is_explained_beside_the_field(phone):
    make_user("agent", username="zhangmin")
    sign_in(phone, "zhangmin")
    phone.goto("/calls")
    phone.fill("#f-caller_number", "13912345678")
    phone.click("#f-outcome-missed")
    expect(phone.locator("#f-answered_at")).to_be_hidden()
    phone.click("button.big")
    expect(phone.locator("#e-ended_at")).to_be_visible()
    expect(phone.locator("#f-caller_number")).to_have_value("13912345678")
    phone.fill("#f-ended_at", f"{BASE_DAY.isoformat()}T09:00:40")
    phone.fill("#f-queued_at", f"{BASE_DAY.isoformat()}T09:00:00")
    phone.click("button.big")
    expect(phone.locator(".flash")).to_be_visible()
    assert calls_in_log() == 1


def test_an_import_with_a_bad_row_lists_it_and_imports_nothing(page):
    make_user("agent", username="zhangmin")
    sign_in(page, "zhangmin")
    page.goto("/calls/import")
    day = BASE_DAY.isoformat()
    content = (
        "caller_number,queued_at,answered_at,ended_at,outcome\n"
        f"13912345678,{day} 09:00:00,{day} 09:00:20,{day} 09:03:00,answered\n"
        f"13912345679,{day} 09:10:00,,,missed\n"
    ).encode()
    page.set_input_files("#f-file", {"name": "export.csv", "mimeType": "text/csv",
                                     "buffer": content})
    page.click("button.big")
    report = page.locator(".import-report")
    expect(report).to_be_visible()
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr").first).to_contain_text("3")
    expect(report.locator("tbody tr").first).to_contain_text("ended_at")
    assert calls_in_log() == 0


def test_a_good_import_lands_in_the_call_log(page):
    make_user("agent", username="zhangmin")
    sign_in(page, "zhangmin")
    page.goto("/calls/import")
    day = BASE_DAY.isoformat()
    content = (
        "主叫号码,来电时间,挂机时间,结果,备注\n"
        f"13912345679,{day} 09:10:00,{day} 09:10:30,未接,客户挂断\n"
    )
    page.set_input_files("#f-file", {"name": "export.csv", "mimeType": "text/csv",
                                     "buffer": content.encode("gb18030")})
    page.click("button.big")
    expect(page).to_have_url(re.compile(r"/calls$"))
    expect(page.locator("table.calls")).to_contain_text("13912345679")
    expect(page.locator("table.calls")).to_contain_text("客户挂断")


def test_the_callback_queue_empties_when_the_customer_is_reached(phone):
    make_user("agent", username="zhangmin")
    tried = make_missed("13900000001", at("09:00"))
    reached = make_missed("13900000002", at("10:00"))
    sign_in(phone, "zhangmin")
    phone.goto("/calls/callbacks")
    expect(phone.locator(".queue-entry")).to_have_count(2)
    expect(phone.locator("#queue-size")).to_have_text("2")
    phone.locator(f"#call-{tried.id} button[value=missed]").click()
    expect(phone.locator(f"#call-{tried.id} .attempts")).to_contain_text("1")
    entry = phone.locator(f"#call-{reached.id}")
    entry.locator("input[name=note]").fill("已约上门")
    entry.locator("button[value=answered]").click()
    expect(phone.locator(f"#call-{reached.id}")).to_have_count(0)
    expect(phone.locator("#queue-size")).to_have_text("1")
    phone.goto("/calls")
    expect(phone.locator("table.calls tbody tr").first).to_contain_text("已约上门")
