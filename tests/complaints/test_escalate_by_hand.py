"""A handler sends a complaint up the ladder by hand: supervisor, then manager, each told
once; refused at the top and once closed. The archive's gaps show before closing."""

from sqlalchemy import select

from aftersales.complaints import services
from aftersales.complaints.models import ComplaintEscalation, ComplaintEvent
from aftersales.extensions import db
from aftersales.notifications.models import Notification
from tests.complaints.factories import make_complaint
from tests.conftest import csrf_from
from tests.factories import bearer, make_outlet, make_token, make_user


def _escalate(client, complaint, reason="客户要求主管出面"):
    token = csrf_from(client, f"/complaints/{complaint.id}")
    return client.post(f"/complaints/{complaint.id}/steps",
                       data={"step": "escalate", "escalation_reason": reason, "csrf_token": token})


def _signed_in_handler(sign_in):
    make_user("complaint_handler", username="sunli")
    sign_in("sunli")


def _levels(complaint) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(ComplaintEscalation.recipient_role).where(
            ComplaintEscalation.complaint_id == complaint.id).order_by(ComplaintEscalation.id)))


def test_the_first_escalation_by_hand_tells_the_outlets_supervisor_once(client, sign_in):
    outlet = make_outlet()
    supervisor = make_user("manager", outlet_id=outlet.id)
    complaint = make_complaint(outlet_id=outlet.id)
    _signed_in_handler(sign_in)
    assert _escalate(client, complaint).status_code == 302
    assert _levels(complaint) == ["supervisor"]
    assert db.session.scalars(select(Notification.user_id)).all() == [supervisor.id]


def _escalated_twice(client, sign_in):
    make_user("manager")
    complaint = make_complaint()
    _signed_in_handler(sign_in)
    _escalate(client, complaint)
    _escalate(client, complaint)
    return complaint


def test_the_second_escalation_by_hand_goes_to_the_manager(client, sign_in):
    assert _levels(_escalated_twice(client, sign_in)) == ["supervisor", "manager"]


def test_the_escalation_and_its_reason_are_on_the_timeline(client, sign_in):
    make_user("manager")
    complaint = make_complaint()
    _signed_in_handler(sign_in)
    _escalate(client, complaint, reason="客户威胁投诉到市场监管局")
    texts = db.session.scalars(select(ComplaintEvent.text).where(
        ComplaintEvent.kind == "escalated")).all()
    assert any("客户威胁投诉到市场监管局" in text for text in texts)


def test_escalating_above_the_manager_is_refused(client, sign_in):
    complaint = _escalated_twice(client, sign_in)
    assert _escalate(client, complaint).status_code == 409
    assert _levels(complaint) == ["supervisor", "manager"]


def test_escalating_with_nobody_above_is_refused(client, sign_in):
    complaint = make_complaint()
    _signed_in_handler(sign_in)
    assert _escalate(client, complaint).status_code == 409


def test_the_api_escalates_by_hand_too(client):
    make_user("manager")
    complaint = make_complaint()
    headers = bearer(make_token(make_user("complaint_handler")))
    response = client.post(f"/api/v1/complaints/{complaint.id}/escalate", headers=headers,
                           json={"reason": "客户要求主管出面"})
    assert response.status_code == 200
    assert [e["recipient_role"] for e in response.get_json()["escalations"]] == ["supervisor"]


def test_a_missing_reason_is_said_beside_the_escalation_input(client, sign_in):
    make_user("manager")
    complaint = make_complaint()
    _signed_in_handler(sign_in)
    response = _escalate(client, complaint, reason=" ")
    assert response.status_code == 422
    assert 'id="e-escalation_reason"' in response.get_data(as_text=True)


def test_a_closed_complaint_is_not_escalated(client):
    make_user("manager")
    handler = make_user("complaint_handler")
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, handler, "已联系客户")
    services.resolve(db.session, complaint, handler,
                     services.Resolution(resolution="更换压缩机", root_cause="配件缺陷"))
    services.close(db.session, complaint, handler, "客户联系不上")
    db.session.commit()
    response = client.post(f"/api/v1/complaints/{complaint.id}/escalate",
                           headers=bearer(make_token(handler)), json={"reason": "补升级"})
    assert response.status_code == 409


def test_a_resolved_complaint_shows_what_the_archive_will_lack_beside_close(client, sign_in):
    handler = make_user("complaint_handler", username="sunli")
    complaint = make_complaint()
    services.acknowledge(db.session, complaint, handler, "已联系客户")
    services.resolve(db.session, complaint, handler,
                     services.Resolution(resolution="更换压缩机", root_cause="配件缺陷"))
    db.session.commit()
    sign_in("sunli")
    body = client.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert 'class="form-error close-gaps"' in body
