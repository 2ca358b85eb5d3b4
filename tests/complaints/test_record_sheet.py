"""The complaint closed-loop record sheet (PDF): what it shows, what it hides, who gets it."""

import io
from datetime import timedelta

from pypdf import PdfReader

from aftersales.complaints import jobs, record_sheet, services
from aftersales.extensions import db
from tests.complaints.factories import T0, hours, make_complaint
from tests.evidence.factories import make_action
from tests.factories import (
    bearer,
    make_customer,
    make_outlet,
    make_token,
    make_user,
    sheet_content,
    signature_png,
)

DAYS = timedelta(days=1)


def _text(pdf: bytes) -> str:
    """The text of every page, runs of white space (line wraps in cells) as one space."""
    pages = (page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(" ".join(pages).split())


def _sheet(complaint) -> str:
    return _text(record_sheet.render(db.session, complaint))


def _resolve(complaint, handler, at, resolution="更换压缩机并检漏"):
    services.resolve(db.session, complaint, handler, services.Resolution(
        resolution=resolution, root_cause="压缩机焊点虚焊", corrective_action="加强焊点检验",
        compensation_fen=20050, compensation_note="退还上门费",
        improvement_action_id=make_action(title="焊点来料检验").id,
    ), now=at)


def _closed_complaint(outlet=None):
    """Responded in 2 h (met), waited 2 h for the customer, escalated at 75 %, resolved
    after 8 days (missed), mediated, confirmed with 4 of 5."""
    handler = make_user("complaint_handler", username="sunli")
    customer = make_customer(name="韩梅梅", phone="13812345678")
    complaint = make_complaint(customer=customer, handler_id=handler.id,
                               outlet_id=outlet.id if outlet else None)
    services.acknowledge(db.session, complaint, handler, "已致电致歉，约定上门", now=T0 + hours(2))
    services.pause(db.session, complaint, handler, "等待客户提供发票照片", now=T0 + hours(3))
    services.resume(db.session, complaint, handler, now=T0 + hours(5))
    jobs.escalate(db.session, now=T0 + 6 * DAYS)
    _resolve(complaint, handler, T0 + 8 * DAYS)
    services.mediate(db.session, complaint, handler, "区消费者协会王调解员", "双方同意换机",
                     now=T0 + 8 * DAYS + hours(1))
    services.attach(db.session, complaint, handler, "发票.png", signature_png(),
                    now=T0 + 8 * DAYS + hours(2))
    services.confirm(db.session, complaint, handler, True, 4, "师傅态度很好",
                     now=T0 + 8 * DAYS + hours(3))
    db.session.commit()
    return complaint


def test_the_sheet_of_a_closed_complaint_shows_the_whole_loop():
    complaint = _closed_complaint()
    text = _sheet(complaint)
    for expected in (
        "投诉处理闭环记录", complaint.number, "韩梅梅", "维修后仍不制冷",
        "已致电致歉，约定上门", "等待客户提供发票照片",
        "压缩机焊点虚焊", "更换压缩机并检漏", "加强焊点检验", "焊点来料检验", "¥200.50",
        "退还上门费",
        "区消费者协会王调解员", "双方同意换机", "4 / 5", "师傅态度很好", "客户确认 confirmed",
        "发票.png",
    ):
        assert expected in text, expected


def test_the_escalation_step_is_said_in_words_not_by_its_key():
    text = _sheet(_closed_complaint())
    assert "75% of the time limit used" in text and "resolution_75" not in text


def test_each_clock_shows_met_or_missed_with_its_variance():
    text = _sheet(_closed_complaint())
    assert text.count("达标 met") == 1  # the response, in 2 h of 24 h
    assert text.count("超时 missed") == 1  # the resolution, 8 days less the 2 h wait
    assert "提前 early 22 h" in text
    assert "超出 late 22 h" in text


def test_the_attachment_is_listed_with_its_hash_not_embedded():
    complaint = _closed_complaint()
    stored = services.attachments_of(db.session, complaint.id)[0]
    pdf = record_sheet.render(db.session, complaint)
    text = _text(pdf)
    assert stored.sha256[:32] in text and stored.sha256[32:] in text
    assert not any(page.images for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_reopened_complaint_shows_both_cycles():
    handler = make_user("complaint_handler")
    complaint = make_complaint(handler_id=handler.id)
    services.acknowledge(db.session, complaint, handler, "已回电", now=T0 + hours(1))
    _resolve(complaint, handler, T0 + 2 * DAYS, resolution="第一次：清洗冷凝器")
    services.confirm(db.session, complaint, handler, False, None, "清洗后仍然不制冷",
                     now=T0 + 3 * DAYS)
    services.acknowledge(db.session, complaint, handler, "再次上门", now=T0 + 3 * DAYS + hours(2))
    db.session.commit()
    text = _sheet(complaint)
    assert "重开 1 次" in text
    assert "重开 reopened：清洗后仍然不制冷" in text
    assert "第一次：清洗冷凝器" in text
    # Cycle 1: response and resolution met; cycle 2: response met, resolution running.
    assert text.count("达标 met") == 3
    assert text.count("计时中 running") == 1


def test_the_phone_is_masked():
    text = _sheet(_closed_complaint())
    assert "138****5678" in text
    assert "13812345678" not in text


def test_customer_text_is_printed_as_text_not_markup():
    complaint = make_complaint(description="<b>坏了</b> & 没修好 <br/>")
    assert "<b>坏了</b> & 没修好 <br/>" in _sheet(complaint)


def test_the_sheet_takes_the_same_queries_however_long_the_timeline(count_queries):
    handler = make_user("complaint_handler")
    complaint = make_complaint(handler_id=handler.id)

    def queries() -> int:
        db.session.expire_all()
        complaint_now = services.get_complaint(db.session, complaint.id)
        with count_queries() as statements:
            record_sheet.render(db.session, complaint_now)
        return len(statements)

    services.add_note(db.session, complaint, handler, "第一条", now=T0 + hours(1))
    db.session.commit()
    few = queries()
    other = make_user("complaint_handler")
    for n in range(30):
        services.add_note(db.session, complaint, other if n % 2 else handler, f"记录 {n}",
                          now=T0 + hours(2 + n))
        services.attach(db.session, complaint, handler, f"照片{n}.png", signature_png(),
                        now=T0 + hours(2 + n))
    db.session.commit()
    assert queries() == few <= 10


def test_a_handler_in_scope_downloads_the_sheet(client, sign_in):
    outlet = make_outlet()
    complaint = _closed_complaint(outlet)
    make_user("complaint_handler", username="local", outlet_id=outlet.id)
    sign_in("local")
    response = client.get(f"/complaints/{complaint.id}/sheet.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=complaint-{complaint.id}.pdf"
    )
    assert response.data.startswith(b"%PDF")


def test_a_handler_outside_the_outlet_gets_404(client, sign_in):
    complaint = _closed_complaint(make_outlet())
    make_user("complaint_handler", username="elsewhere", outlet_id=make_outlet().id)
    sign_in("elsewhere")
    assert client.get(f"/complaints/{complaint.id}/sheet.pdf").status_code == 404


def test_signed_out_the_sheet_redirects_to_the_login(client):
    complaint = make_complaint()
    response = client.get(f"/complaints/{complaint.id}/sheet.pdf")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_api_serves_the_same_sheet_to_a_token(client):
    complaint = make_complaint()
    secret = make_token(make_user("auditor"))
    response = client.get(f"/api/v1/complaints/{complaint.id}/sheet.pdf",
                          headers=bearer(secret))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert complaint.number in _text(response.data)


def test_the_complaint_page_links_to_the_sheet(client, sign_in):
    complaint = make_complaint()
    make_user("complaint_handler", username="sunli")
    sign_in("sunli")
    page = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert f'href="/complaints/{complaint.id}/sheet.pdf"' in page


def test_a_batch_gives_each_complaint_the_data_of_its_own_sheet():
    complaints = [_closed_complaint(), make_complaint()]
    ids = [complaint.id for complaint in complaints] + [999_999]
    batch = record_sheet.sheets_data(db.session, ids)
    assert sorted(batch) == sorted(complaint.id for complaint in complaints)
    for record_id in ids:
        alone = record_sheet.sheet_data(db.session, record_id)
        assert sheet_content(batch.get(record_id)) == sheet_content(alone)
