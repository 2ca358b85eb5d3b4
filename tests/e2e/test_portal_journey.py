"""A customer's whole journey on a phone, as issue 20 asks: scan the serial's QR code →
report a fault with a photo and a visit window → the outlet's desk sees the work order →
accept the fee quote from its one-time link → follow the technician with a code → confirm
the work done and rate it → answer the survey; every step the customer's own act."""

import io
import json
import re

import PIL.Image
from playwright.sync_api import expect
from sqlalchemy import select

from aftersales.core.clock import utcnow
from aftersales.customers.models import CustomerAct
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.tickets import customer_steps, field_work, services
from aftersales.tickets.models import Ticket
from tests.e2e.conftest import sign_in
from tests.factories import (
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_slots,
    make_user,
    signature_png,
)
from tests.visits.factories import sent_surveys

PHONE = "13900004200"


def _photo(tmp_path):
    written = io.BytesIO()
    PIL.Image.new("RGB", (640, 480), "orange").save(written, "JPEG")
    path = tmp_path / "fault.jpg"
    path.write_bytes(written.getvalue())
    return str(path)


def _last_link(template):
    db.session.expire_all()
    message = db.session.scalars(select(OutgoingMessage).where(
        OutgoingMessage.template == template).order_by(OutgoingMessage.id.desc())).first()
    values = json.loads(message.values_json)
    return values.get("link") or values.get("code")


def _path(link):
    return "/portal/" + link.split("/portal/", 1)[1]


def _report(phone, tmp_path):
    phone.goto("/portal/report?serial=KT0420")
    phone.fill("#f-province", "上海市")
    phone.fill("#f-city", "上海市")
    phone.fill("#f-address", "浦东新区世纪大道100号")
    phone.locator("#where-form button[type=submit]").click()
    phone.fill("#f-description", "空调不制冷，有异响")
    phone.fill("#f-name", "李雷")
    phone.fill("#f-phone", PHONE)
    phone.set_input_files("#f-photos", _photo(tmp_path))
    phone.locator("#windows input[type=radio]").nth(1).check()
    phone.locator("#report-form button[type=submit]").click()
    number = phone.locator("#work-order-number")
    expect(number).to_have_text(re.compile(r"WO\d{8}"))
    return number.inner_text()


def _move(ticket, to_state, actor, technician=None):
    services.move_ticket(db.session, ticket, services.Move(
        to_state, technician_id=technician.id if technician else None), actor, True)
    db.session.commit()


def test_a_customers_whole_journey_on_a_phone(phone, page, tmp_path, settings_changed):
    settings_changed("visits", survey_share=1.0)
    shanghai = make_outlet("SH-02", province="上海市", city="上海市", latitude="31.230400",
                           longitude="121.473700", region_code="310100")
    make_slots(shanghai)
    make_serial(serial="KT0420", product=make_product(), customer=make_customer(phone=PHONE))
    dispatcher = make_user("dispatcher", username="sh_dispatch", outlet_id=shanghai.id)
    technician = make_user("technician", username="sh_tech", outlet_id=shanghai.id)

    number = _report(phone, tmp_path)
    ticket_id = int(number[2:])
    sign_in(page, "sh_dispatch")
    page.goto(f"/tickets/{ticket_id}")
    expect(page.locator("#channel")).to_be_visible()
    ticket = db.session.get(Ticket, ticket_id)
    assert ticket.outlet_id == shanghai.id

    for to_state in ("assigned", "dispatched", "on_site"):
        _move(ticket, to_state, dispatcher, technician)
    customer_steps.quote(db.session, ticket, 12000, technician)
    db.session.commit()
    phone.goto(_path(_last_link("quote_to_accept")))
    phone.get_by_role("button", name="确认此费用").click()
    expect(phone.locator("#confirmed")).to_contain_text(number)

    phone.goto("/portal/track")
    phone.fill("#f-number", number)
    phone.fill("#f-phone", PHONE)
    phone.get_by_role("button", name="发送验证码").click()
    phone.fill("#f-code", _last_link("portal_code"))
    phone.get_by_role("button", name="查看我的工单").click()
    expect(phone.locator("#progress")).to_contain_text("技师已到场")

    _move(ticket, "resolved", technician)
    phone.goto(_path(_last_link("completion_to_confirm")))
    phone.locator("label.rating-choice").nth(4).click()
    phone.get_by_role("button", name="是的，已完工").click()
    expect(phone.locator("#confirmed")).to_be_visible()

    field_work.sign_off(db.session, ticket, "李雷", signature_png(), technician)
    _move(ticket, "closed", technician)
    (token,) = sent_surveys(utcnow())
    phone.goto(f"/portal/survey/{token}")
    for name in ("timeliness", "attitude", "skill", "result", "fees"):
        phone.locator(f"#d-{name} .rating-choice span").nth(4).click()
    phone.locator("#survey button[type=submit]").click()
    expect(phone.locator("#survey-thanks")).to_contain_text(number)

    db.session.expire_all()
    steps = set(db.session.scalars(select(CustomerAct.step).where(
        CustomerAct.record_id == ticket_id)))
    assert steps == {"report", "accept_quote", "track", "confirm_completion", "rate_service",
                     "answer_survey"}
