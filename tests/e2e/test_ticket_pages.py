import re

from playwright.sync_api import expect

from aftersales.core.permissions import Scope
from aftersales.extensions import db
from aftersales.tickets import loaners
from tests.e2e.conftest import decoded_width, draw_signature, on_site_work_order, sign_in
from tests.factories import (
    home_outlet,
    make_customer,
    make_serial,
    make_ticket,
    make_user,
)


def test_an_agent_finds_the_customer_by_phone_and_opens_a_repair(page):
    home_outlet()  # the outlet serving the customer's address takes the work
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷", phone="13800001111")
    make_serial(serial="AC2601000010001", customer=customer)
    sign_in(page, "zhangmin")
    page.goto("/tickets/new")
    page.fill("#f-customer_q", "1380000")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name=re.compile("李雷")).click()
    page.select_option("#f-serial", "AC2601000010001")
    page.fill("#f-description", "空调不制冷，外机不转")
    page.get_by_role("button", name="创建工单").click()
    expect(page.locator("h1")).to_contain_text("WO")
    expect(page.locator(".facts")).to_contain_text("空调不制冷")
    expect(page.locator(".badge").first).to_contain_text("新建")


def test_a_missing_description_is_explained_beside_the_field(page):
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in(page, "zhangmin")
    page.goto(f"/tickets/new?customer_id={customer.id}")
    page.get_by_role("button", name="创建工单").click()
    expect(page.locator("#e-description")).to_be_visible()


def test_a_dispatcher_assigns_and_a_technician_resolves_on_a_phone(browser, live_server):
    from tests.e2e.conftest import PHONE

    make_user("dispatcher", username="liuyang")
    make_user("technician", username="zhaoqiang")
    ticket = make_ticket(description="热水器不加热")

    desk = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    sign_in(page, "liuyang")
    page.goto(f"/tickets/{ticket.id}")
    page.select_option("#f-technician_id", index=1)  # the one technician
    page.get_by_role("button", name="已分配").click()
    page.get_by_role("button", name="已派工").click()
    expect(page.locator(".heading-row .badge")).to_contain_text("已派工")
    desk.close()

    road = browser.new_context(base_url=live_server, **PHONE)
    phone = road.new_page()
    sign_in(phone, "zhaoqiang")
    phone.goto("/tickets/mine")
    phone.get_by_role("link", name=re.compile(ticket.number)).click()
    phone.get_by_role("button", name="已到场").click()
    phone.fill("#f-note", "更换温控器")
    phone.get_by_role("button", name="已解决").click()
    expect(phone.locator(".heading-row .badge")).to_contain_text("已解决")
    expect(phone.locator(".timeline")).to_contain_text("更换温控器")
    expect(phone.get_by_role("button", name="已关闭")).to_have_count(0)
    road.close()


def test_on_site_the_technician_uses_a_part_the_customer_signs_and_it_is_resolved(phone):
    ticket = on_site_work_order()
    sign_in(phone, "zhaoqiang")
    phone.goto(f"/tickets/{ticket.id}")
    phone.get_by_role("button", name="使用配件").click()
    expect(phone.locator("table.list")).to_contain_text("温控器")
    phone.get_by_role("button", name="使用配件").click()
    expect(phone.locator("#e-quantity")).to_contain_text("0")  # the last one is gone

    phone.get_by_role("button", name="保存签名").click()
    expect(phone.locator("[data-empty]")).to_be_visible()
    draw_signature(phone)
    phone.get_by_role("button", name="保存签名").click()
    expect(phone.locator("img.signature")).to_be_visible()
    # The stored PNG decodes in the browser (waits for it to load: slow under a busy CI).
    assert decoded_width(phone, "img.signature") > 0
    phone.get_by_role("button", name="已解决").click()
    expect(phone.locator(".heading-row .badge")).to_contain_text("已解决")


def test_an_agent_takes_a_call_at_the_console_and_opens_a_repair(page):
    home_outlet()  # the outlet serving the customer's address takes the work
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷", phone="13800001111")
    make_serial(serial="AC2601000010001", customer=customer)
    sign_in(page, "zhangmin")
    page.goto("/calls/console")
    page.fill("#f-number", "13800001111")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".profile")).to_contain_text("AC2601000010001")
    page.select_option("#f-serial", "AC2601000010001")
    page.fill("#f-description", "空调外机异响")
    page.get_by_role("button", name="记录来电").click()
    expect(page.locator("h1")).to_contain_text("WO")
    expect(page.locator(".flash")).to_contain_text("工单")


def test_the_technician_lends_a_loaner_and_takes_it_back(phone):
    ticket = on_site_work_order()
    loaners.register_loaner(db.session, Scope(everywhere=True), ticket.outlet_id, "LN-001",
                            "备用热水器", "water_heater")
    db.session.commit()
    sign_in(phone, "zhaoqiang")
    phone.goto(f"/tickets/{ticket.id}")
    phone.get_by_role("button", name="借出").click()
    expect(phone.locator("#loaner .loan")).to_contain_text("在客户处")
    phone.fill("#f-condition", "外观完好")
    phone.get_by_role("button", name="收回备用机").click()
    expect(phone.locator("#loaner .loan")).to_contain_text("外观完好")
    sheet = phone.request.get(phone.locator("#record-sheet").get_attribute("href"))
    assert sheet.headers["content-type"] == "application/pdf"
    assert sheet.body().startswith(b"%PDF")
