"""Reporting a fault from the customer's phone: a work order at the outlet covering the
address, through the desk's services, with the booked window, photos without their
location, an SMS with its number; throttled per client address and phone number; a
refusal names its field; nothing says who owns a serial."""

import io
import re

import PIL.Image
from PIL import ExifTags
from sqlalchemy import select

from aftersales.core.models import AuditEntry
from aftersales.core.storage import storage
from aftersales.customers.models import CustomerAct
from aftersales.extensions import db
from aftersales.messaging.models import OutgoingMessage
from aftersales.tickets.models import Ticket, TicketEvent, TicketPhoto
from tests.conftest import csrf_from
from tests.factories import make_customer, make_outlet, make_serial, make_slots

SHANGHAI = {"province": "上海市", "city": "上海市", "latitude": "31.230400",
            "longitude": "121.473700", "region_code": "310100"}
WHERE = {"type": "repair", "serial": "", "province": "上海市", "city": "上海市",
         "address": "浦东新区世纪大道100号"}
DETAILS = {"description": "空调不制冷，有异响", "name": "李雷", "phone": "13900001111"}
WINDOW = re.compile(r'name="window" value="([^"]+)"')


def _outlets():
    make_outlet("BJ-01")
    shanghai = make_outlet("SH-01", **SHANGHAI)
    make_slots(shanghai, capacity=1)
    return shanghai


def _times(client, **where):
    token = csrf_from(client, "/portal/report")
    return client.post("/portal/report/times", data={**WHERE, **where, "csrf_token": token})


def _windows(client, **where) -> list[str]:
    return [key for key in WINDOW.findall(_times(client, **where).get_data(as_text=True)) if key]


def _send(client, photos=(), **fields):
    token = csrf_from(client, "/portal/report")
    data = {**WHERE, **DETAILS, "csrf_token": token, **fields}
    data["photos"] = [(io.BytesIO(content), name) for content, name in photos]
    return client.post("/portal/report", data=data, content_type="multipart/form-data")


def _photo(with_gps=True, kind="JPEG") -> bytes:
    exif = PIL.Image.Exif()
    exif[ExifTags.Base.Orientation] = 1
    if with_gps:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps[ExifTags.GPS.GPSLatitude] = (31.0, 13.0, 49.0)
    written = io.BytesIO()
    PIL.Image.new("RGB", (64, 48), "orange").save(written, kind, exif=exif)
    return written.getvalue()


def _gps_of(content: bytes) -> dict:
    return dict(PIL.Image.open(io.BytesIO(content)).getexif().get_ifd(ExifTags.IFD.GPSInfo))


def _only_ticket() -> Ticket:
    return db.session.scalars(select(Ticket)).one()


def test_the_qr_code_link_opens_the_form_with_the_serial_filled(client):
    page = client.get("/portal/report", query_string={"serial": "KT0001"})
    assert page.status_code == 200
    assert 'name="serial"' in page.get_data(as_text=True)
    assert 'value="KT0001"' in page.get_data(as_text=True)


def test_the_times_offered_are_the_covering_outlets(client):
    shanghai = _outlets()
    page = _times(client).get_data(as_text=True)
    assert shanghai.name in page
    assert _windows(client)


def test_a_report_opens_a_work_order_at_the_covering_outlet_from_the_portal(client):
    shanghai = _outlets()
    response = _send(client, window=_windows(client)[0])
    assert response.status_code == 302
    ticket = _only_ticket()
    assert ticket.outlet_id == shanghai.id
    assert ticket.channel == "portal" and ticket.state == "new"
    assert ticket.window_starts_at is not None


def test_the_confirmation_names_the_work_order_number(client):
    _outlets()
    client.get(_send(client).headers["Location"])
    page = client.get("/portal/report/received").get_data(as_text=True)
    assert _only_ticket().number in page


def test_the_customer_is_sent_the_number_by_sms(client):
    _outlets()
    _send(client)
    message = db.session.scalars(select(OutgoingMessage)).one()
    assert message.template == "work_order_received" and message.recipient == "13900001111"
    assert _only_ticket().number in message.text


def test_no_personal_data_goes_into_the_address_bar(client):
    _outlets()
    location = _send(client).headers["Location"]
    assert "13900001111" not in location and "李雷" not in location


def test_the_audit_trail_says_the_customer_acted_on_the_portal(client):
    _outlets()
    _send(client)
    labels = set(db.session.scalars(
        select(AuditEntry.actor_label).where(AuditEntry.record_type.in_(("tickets",
                                                                         "customers")))))
    assert labels == {"customer (portal)"}


def test_a_known_phone_gets_the_work_order_and_keeps_its_record(client):
    _outlets()
    known = make_customer(name="韩梅梅", phone="13900001111")
    _send(client, name="冒名者")
    db.session.refresh(known)
    assert _only_ticket().customer_id == known.id
    assert known.name == "韩梅梅" and known.city == "北京市"


def test_another_customers_serial_is_left_to_the_desk_with_the_same_answer(client):
    _outlets()
    owner = make_customer(name="韩梅梅", phone="13812345678")
    unit = make_serial(serial="KT7777", customer=owner)
    mine = _send(client, serial=unit.serial)
    assert mine.status_code == 302
    ticket = _only_ticket()
    assert ticket.serial_id is None and "KT7777" in ticket.description
    page = client.get("/portal/report/received").get_data(as_text=True)
    assert "韩梅梅" not in page and "1381234" not in page


def test_a_full_window_is_not_offered(client):
    _outlets()
    first = _windows(client)
    _send(client, window=first[0])
    assert first[0] not in _windows(client)


def test_a_window_taken_meanwhile_is_refused_naming_the_window(client):
    _outlets()
    window = _windows(client)[0]
    _send(client, window=window)
    refused = _send(client, window=window, phone="13900002222")
    assert refused.status_code == 409
    assert 'id="e-window"' in refused.get_data(as_text=True)


def test_a_photo_loses_its_location_unless_the_customer_keeps_it(client):
    _outlets()
    _send(client, photos=[(_photo(), "a.jpg")])
    stored = db.session.scalars(select(TicketPhoto)).one()
    assert _gps_of(storage().read(stored.sha256)) == {}


def test_a_photo_keeps_its_location_when_the_customer_agrees(client):
    _outlets()
    _send(client, photos=[(_photo(), "a.jpg")], keep_location="true")
    stored = db.session.scalars(select(TicketPhoto)).one()
    assert _gps_of(storage().read(stored.sha256))


def test_a_file_that_is_not_a_photo_is_refused_naming_the_field(client):
    _outlets()
    refused = _send(client, photos=[(b"%PDF-1.4 not a photo", "a.jpg")])
    assert refused.status_code == 422
    assert 'id="e-photos"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(Ticket.id)) is None


def test_more_than_three_photos_are_refused(client):
    _outlets()
    refused = _send(client, photos=[(_photo(), f"{n}.jpg") for n in range(4)])
    assert refused.status_code == 422 and 'id="e-photos"' in refused.get_data(as_text=True)


def test_a_bad_phone_number_is_refused_naming_the_field(client):
    _outlets()
    refused = _send(client, phone="12345")
    assert refused.status_code == 422 and 'id="e-phone"' in refused.get_data(as_text=True)


def test_a_missing_description_is_refused_naming_the_field(client):
    _outlets()
    refused = _send(client, description="")
    assert refused.status_code == 422
    assert 'id="e-description"' in refused.get_data(as_text=True)


def test_an_address_no_outlet_serves_is_refused_naming_the_address(client):
    refused = _times(client)
    assert refused.status_code == 422 and 'id="e-address"' in refused.get_data(as_text=True)


def test_a_report_without_the_forms_token_is_refused(client):
    _outlets()
    refused = client.post("/portal/report", data={**WHERE, **DETAILS})
    assert refused.status_code == 400
    assert db.session.scalar(select(Ticket.id)) is None


def test_reports_from_one_phone_past_the_limit_wait(client, settings_changed):
    settings_changed("portal", reports_per_phone=2)
    _outlets()
    statuses = [_send(client).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_reports_from_one_address_past_the_limit_wait(client, settings_changed):
    settings_changed("portal", reports_per_address=2)
    _outlets()
    statuses = [_send(client, phone=f"1390000{n:04d}").status_code for n in range(3)]
    assert statuses[-1] == 429
    assert int(_send(client, phone="13900009999").headers["Retry-After"]) > 0


def test_the_work_orders_timeline_names_the_customer_on_the_portal(client):
    _outlets()
    _send(client)
    assert [event.actor_label for event in
            db.session.scalars(select(TicketEvent))] == ["customer (portal)"]


def test_the_report_is_the_customers_act_of_asking_for_service_online(client):
    _outlets()
    _send(client)
    act = db.session.scalars(select(CustomerAct)).one()
    assert (act.step, act.channel, act.record_id) == ("report", "portal_form",
                                                      _only_ticket().id)
