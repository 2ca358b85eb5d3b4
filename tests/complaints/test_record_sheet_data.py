"""The complaint record sheet in two steps: its data (JSON-ready, kept when an audit period
is frozen) and the PDF rendered from that data alone."""

import io
import json

from pypdf import PdfReader

from aftersales.complaints import record_sheet, services
from aftersales.extensions import db
from tests.complaints.factories import T0, hours, make_complaint
from tests.factories import make_customer, make_user, signature_png


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _complaint():
    handler = make_user("complaint_handler")
    complaint = make_complaint(customer=make_customer(name="韩梅梅", phone="13812345678"),
                               handler_id=handler.id)
    services.acknowledge(db.session, complaint, handler, "已致电致歉", now=T0 + hours(2))
    services.attach(db.session, complaint, handler, "发票.png", signature_png(),
                    now=T0 + hours(3))
    db.session.commit()
    return complaint, handler


def test_the_data_is_json_and_renders_the_same_bytes_every_time():
    complaint, _handler = _complaint()
    data = record_sheet.sheet_data(db.session, complaint.id)
    stored = json.loads(json.dumps(data))  # as a freeze keeps it
    assert stored == data
    assert record_sheet.sheet_pdf(stored) == record_sheet.sheet_pdf(data)


def test_a_complaint_changed_after_its_data_was_taken_prints_as_it_was():
    complaint, handler = _complaint()
    data = json.loads(json.dumps(record_sheet.sheet_data(db.session, complaint.id)))
    before = record_sheet.sheet_pdf(data)
    services.add_note(db.session, complaint, handler, "事后补记的一条", now=T0 + hours(4))
    db.session.commit()
    assert record_sheet.sheet_pdf(data) == before
    assert "事后补记的一条" in _text(record_sheet.render(db.session, complaint))


def test_the_data_says_when_it_was_taken_instead_of_when_it_was_printed():
    complaint, _handler = _complaint()
    text = _text(record_sheet.render(db.session, complaint))
    assert "数据截至 Data as of" in text
    assert "打印时间" not in text


def test_the_attachment_hash_is_kept_in_the_data():
    complaint, _handler = _complaint()
    stored = services.attachments_of(db.session, complaint.id)[0]
    data = json.loads(json.dumps(record_sheet.sheet_data(db.session, complaint.id)))
    text = _text(record_sheet.sheet_pdf(data))
    assert stored.sha256[:32] in text and stored.sha256[32:] in text


def test_the_phone_is_masked_by_the_shared_rule():
    complaint, _handler = _complaint()
    text = _text(record_sheet.render(db.session, complaint))
    assert "138****5678" in text and "13812345678" not in text and "韩梅梅" in text


def test_no_complaint_has_no_data():
    assert record_sheet.sheet_data(db.session, 999_999) is None
