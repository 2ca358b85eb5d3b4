"""The work-order record sheet in two steps: its data (what it prints, JSON-ready, kept
when an audit period is frozen) and the PDF rendered from that data alone. Every time says
where it came from; the customer's personal data is masked as on the complaint sheet."""

import io
import json
from datetime import timedelta

from pypdf import PdfReader

from aftersales.core.clock import utcnow
from aftersales.extensions import db
from aftersales.tickets import field_work, record_sheet, services
from tests.factories import make_customer, make_ticket, make_user, signature_png
from tests.tickets.stamp_helpers import assigned_ticket, at_distance, send


def _text(pdf: bytes) -> str:
    """The text of every page, runs of white space (line wraps in cells) as one space."""
    pages = (page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(" ".join(pages).split())


def _sheet(ticket) -> str:
    return _text(record_sheet.sheet_pdf(record_sheet.sheet_data(db.session, ticket.id)))


def _row(text: str, step: str, next_step: str) -> str:
    """One row of the times listing: from its step to the next step's."""
    return text[text.index(step):text.index(next_step)]


def _signed(site):
    ticket, _part, technician, _ = site
    services.move_ticket(db.session, ticket, services.Move("resolved"), technician, False)
    field_work.sign_off(db.session, ticket, "张伟本人", signature_png(), technician)
    db.session.commit()
    return ticket


def test_the_data_is_json_and_renders_the_same_bytes_every_time(site):
    ticket = _signed(site)
    data = record_sheet.sheet_data(db.session, ticket.id)
    stored = json.loads(json.dumps(data))  # as a freeze keeps it
    assert stored == data
    assert record_sheet.sheet_pdf(stored) == record_sheet.sheet_pdf(data)


def test_the_signature_travels_in_the_data(site):
    ticket = _signed(site)
    data = json.loads(json.dumps(record_sheet.sheet_data(db.session, ticket.id)))
    pages = PdfReader(io.BytesIO(record_sheet.sheet_pdf(data))).pages
    assert sum(len(page.images) for page in pages) == 1


def test_a_record_changed_after_its_data_was_taken_prints_as_it_was(site):
    ticket = _signed(site)
    data = json.loads(json.dumps(record_sheet.sheet_data(db.session, ticket.id)))
    before = record_sheet.sheet_pdf(data)
    ticket.description = "改过的故障描述"
    services.move_ticket(db.session, ticket, services.Move("closed"), site[3], True)
    db.session.commit()
    assert record_sheet.sheet_pdf(data) == before
    assert "改过的故障描述" in _sheet(ticket)  # a fresh sheet shows the change


def test_the_data_says_when_it_was_taken_instead_of_when_it_was_printed(site):
    text = _sheet(site[0])
    assert "数据截至 Data as of" in text
    assert "打印时间" not in text


def test_no_work_order_has_no_data():
    assert record_sheet.sheet_data(db.session, 999_999) is None


def test_the_customer_phone_is_masked_as_on_the_complaint_sheet():
    ticket = make_ticket(customer=make_customer(phone="13812345678"))
    text = _sheet(ticket)
    assert "138****5678" in text
    assert "13812345678" not in text


def test_the_service_address_keeps_its_district_not_the_street_and_door():
    ticket = make_ticket(service_address="北京市朝阳区建国路88号3栋1201室")
    text = _sheet(ticket)
    assert "北京市朝阳区****" in text
    assert "建国路" not in text and "1201" not in text


def test_the_customer_name_is_printed_in_full_as_on_the_complaint_sheet():
    assert "韩梅梅" in _sheet(make_ticket(customer=make_customer(name="韩梅梅")))


def test_an_arrival_without_a_gps_stamp_is_printed_as_a_desk_entry(site):
    ticket, _part, _technician, dispatcher = site  # moved on site by the dispatcher
    text = _sheet(ticket)
    arrived = _row(text, "到达 Arrived", "完成 Resolved")
    assert "人工录入，无 GPS 打卡 desk entry, no GPS stamp" in arrived
    assert dispatcher.display_name in arrived
    assert "GPS 打卡 stamp" not in arrived


def test_an_arrival_with_a_gps_stamp_shows_the_stamp_its_accuracy_and_distance():
    ticket, technician, _desk = assigned_ticket()
    send(ticket, technician, "arrive", at_distance(60), accuracy=12.0)
    db.session.commit()
    arrived = _row(_sheet(ticket), "到达 Arrived", "完成 Resolved")
    assert "GPS 打卡 stamp（到达 Arrive）" in arrived
    assert "±12 米 m" in arrived
    assert "距服务地址 60 米 m" in arrived
    assert "已核验 verified" in arrived
    assert "人工录入" not in arrived


def test_an_arrival_stamped_offline_is_dated_and_sourced_by_its_stamp():
    ticket, technician, _desk = assigned_ticket()
    taken = utcnow() - timedelta(minutes=30)
    send(ticket, technician, "arrive", at_distance(40), device_at=taken, queued=True)
    db.session.commit()
    arrived = _row(_sheet(ticket), "到达 Arrived", "完成 Resolved")
    assert "GPS 打卡 stamp（到达 Arrive）" in arrived
    assert "延迟发送 late" in arrived


def test_a_departure_taken_by_an_arrival_stamp_names_that_stamp():
    # Assigned -> dispatched -> on site in one arrival stamp: both steps are the stamp's.
    ticket, technician, _desk = assigned_ticket()
    send(ticket, technician, "arrive", at_distance(60))
    db.session.commit()
    departed = _row(_sheet(ticket), "出发 Departed", "到达 Arrived")
    assert "GPS 打卡 stamp（到达 Arrive）" in departed


def test_a_departure_stamp_off_site_is_shown_as_recorded_with_its_distance():
    ticket, technician, _desk = assigned_ticket()
    send(ticket, technician, "depart", at_distance(3000), accuracy=5.0)
    db.session.commit()
    departed = _row(_sheet(ticket), "出发 Departed", "到达 Arrived")
    assert "GPS 打卡 stamp（出发 Depart）" in departed
    assert "距服务地址 3000 米 m" in departed and "已记录 recorded" in departed


def test_the_report_time_names_who_entered_it_at_the_desk():
    agent = make_user("agent")
    ticket = make_ticket(actor=agent)
    reported = _row(_sheet(ticket), "报修 Reported", "出发 Departed")
    assert "人工录入" in reported and agent.display_name in reported and "录入 entered" in reported


def test_the_signature_time_is_the_systems_with_who_took_it(site):
    ticket = _signed(site)
    signed = _row(_sheet(ticket), "客户签字 Signed", "费用 Fees")
    assert "系统 system" in signed and site[2].display_name in signed
