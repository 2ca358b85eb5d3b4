import io
from datetime import timedelta

from pypdf import PdfReader

from aftersales.core.clock import local_today
from aftersales.core.permissions import Scope
from aftersales.extensions import db
from aftersales.tickets import field_work, loaners, record_sheet, services, stock
from tests.factories import make_outlet, make_ticket, make_user, signature_png


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _worked(site):
    ticket, part, technician, _ = site
    field_work.use_part(db.session, ticket, part.id, 1, technician)
    services.move_ticket(db.session, ticket, services.Move("resolved"), technician, False)
    field_work.sign_off(db.session, ticket, "张伟本人", signature_png(), technician)
    db.session.commit()
    return ticket


def test_the_sheet_names_the_work_order_customer_parts_and_signer_in_chinese(site):
    ticket = _worked(site)
    text = _text(record_sheet.render(db.session, ticket))
    for expected in ("维修服务记录单", ticket.number, "张伟", "温控器", "张伟本人", "保内免费"):
        assert expected in text, expected


def test_the_sheet_carries_the_signature_image(site):
    ticket = _worked(site)
    pages = PdfReader(io.BytesIO(record_sheet.render(db.session, ticket))).pages
    assert sum(len(page.images) for page in pages) == 1


def test_an_unsigned_work_order_says_so(site):
    ticket = site[0]
    assert "客户尚未签字确认" in _text(record_sheet.render(db.session, ticket))


def test_a_loaner_appears_on_the_sheet(site):
    ticket, _part, technician, _ = site
    unit = loaners.register_loaner(db.session, Scope(everywhere=True), ticket.outlet_id,
                                   "LN-007", "备用热水器", None)
    loaners.lend(db.session, ticket, unit.id, local_today() + timedelta(days=5), technician)
    assert "LN-007" in _text(record_sheet.render(db.session, ticket))


def test_the_page_serves_the_pdf(client, sign_in, site):
    ticket = _worked(site)
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.get(f"/tickets/{ticket.id}/record.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_a_work_order_outside_ones_outlets_is_not_served(client, sign_in):
    ticket = make_ticket(outlet_id=make_outlet().id)
    make_user("agent", username="sh.agent", outlet_id=make_outlet().id)
    sign_in("sh.agent")
    assert client.get(f"/tickets/{ticket.id}/record.pdf").status_code == 404


def test_the_sheet_summarises_the_gps_stamps():
    from aftersales.core.clock import utcnow
    from tests.tickets.stamp_helpers import assigned_ticket, at_distance, send

    ticket, technician, _desk = assigned_ticket(priority="emergency")
    now = utcnow()
    send(ticket, technician, "arrive", at_distance(2500), now=now - timedelta(minutes=20))
    send(ticket, technician, "arrive", at_distance(60), now=now)
    db.session.commit()
    text = _text(record_sheet.render(db.session, ticket))
    for expected in ("GPS", "精确坐标", "不在现场", "2500", "已核验", "达标"):
        assert expected in text, expected


def test_the_sheet_prints_the_removed_parts_serial_and_what_went_back(site):
    ticket, part, technician, _ = site
    used = field_work.use_part(db.session, ticket, part.id, 2, technician,
                               removed_serial="TC-0042")
    stock.return_from_work(db.session, ticket, used.id, 1, technician)
    db.session.commit()
    text = _text(record_sheet.render(db.session, ticket))
    assert "TC-0042" in text
    assert "returned 1" in text
