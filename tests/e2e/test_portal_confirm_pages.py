"""The customer confirms from their own phone and follows the work order, and its
technician sees it: the one-time link for the quote, the code to follow the work order,
and the QR code shown on site."""

import json
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from aftersales.complaints import services as complaint_services
from aftersales.core.clock import utcnow
from aftersales.core.models import User
from aftersales.customers.services import get_customer
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.tickets import customer_steps
from aftersales.tickets.models import ticket_number
from tests.complaints.factories import make_complaint
from tests.e2e.conftest import on_site_work_order, sign_in
from tests.factories import make_customer


def _quoted_link(ticket):
    customer_steps.quote(db.session, ticket, 23800, db.session.get(User, ticket.technician_id))
    address = customer_steps.ask(db.session, ticket, "accept_quote")
    db.session.commit()
    return "/portal/c/" + address.rsplit("/", 1)[1]


def _sent_code():
    message = db.session.scalars(select(OutgoingMessage).where(
        OutgoingMessage.template == "portal_code")).one()
    return json.loads(message.values_json)["code"]


def test_a_customer_accepts_the_quote_and_follows_the_work_on_a_phone(phone):
    ticket = on_site_work_order()
    path = _quoted_link(ticket)
    phone.goto(path)
    expect(phone.locator("#confirm")).to_contain_text("¥238.00")
    phone.get_by_role("button", name="确认此费用").click()
    expect(phone.locator("#confirmed")).to_contain_text(ticket_number(ticket.id))
    phone.goto(path)
    expect(phone.locator("#refused")).to_contain_text("已使用过")

    phone.goto("/portal/track")
    phone.fill("#f-number", ticket_number(ticket.id))
    phone.fill("#f-phone", get_customer(db.session, ticket.customer_id).phone)
    phone.get_by_role("button", name="发送验证码").click()
    db.session.expire_all()
    phone.fill("#f-code", _sent_code())
    phone.get_by_role("button", name="查看我的工单").click()
    expect(phone.locator("#progress")).to_contain_text("技师已到场")
    expect(phone.locator("#quote")).to_contain_text("已于")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_technician_shows_a_qr_code_and_sees_what_the_customer_confirmed(phone, page):
    ticket = on_site_work_order()
    path = _quoted_link(ticket)
    phone.goto(path)
    phone.get_by_role("button", name="确认此费用").click()
    expect(phone.locator("#confirmed")).to_be_visible()
    sign_in(page, "zhaoqiang")
    page.goto(f"/tickets/{ticket.id}")
    expect(page.locator("#customer-confirmations")).to_contain_text("确认报价")
    page.get_by_role("button", name="出示链接：确认技师到场").click()
    expect(page.locator("#shared-link img")).to_be_visible()
    address = page.locator("#shared-link input").input_value()
    phone.goto("/portal/c/" + address.rsplit("/", 1)[1])
    phone.get_by_role("button", name="是的，技师已到场").click()
    expect(phone.locator("#confirmed")).to_be_visible()


def test_a_customer_accepts_a_complaints_resolution_on_a_phone(phone, page):
    now = utcnow() - timedelta(hours=3)
    complaint = make_complaint(customer=make_customer(name="李雷"), now=now)
    complaint_services.acknowledge(db.session, complaint, None, "已致电",
                                   now=now + timedelta(hours=1))
    complaint_services.resolve(db.session, complaint, None, complaint_services.Resolution(
        resolution="上门更换主板", root_cause="主板故障"), now=now + timedelta(hours=2))
    db.session.commit()
    message = db.session.scalars(select(OutgoingMessage).where(
        OutgoingMessage.template == "resolution_to_confirm")).one()
    phone.goto("/portal/c/" + json.loads(message.values_json)["link"].rsplit("/", 1)[1])
    expect(phone.locator("#confirm")).to_contain_text("上门更换主板")
    phone.locator("label.rating-choice").nth(4).click()
    phone.get_by_role("button", name="是的，我认可").click()
    expect(phone.locator("#confirmed")).to_contain_text(complaint.number)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
