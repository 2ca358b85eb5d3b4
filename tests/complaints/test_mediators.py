"""The mediator register (clause 5.3.2.3): who may be appointed, by whom, and the figure:
mediators in office on average over the period's days, worked out by hand."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales.complaints import mediators, services
from aftersales.complaints.models import MediatorAppointment
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEntry
from aftersales.evidence.compliance import registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.conftest import csrf_from
from tests.evidence.factories import days_ago, records_page, snapshot
from tests.factories import bearer, make_outlet, make_token, make_user


def appointed(user, from_days_ago, until_days_ago=None, keeper=None):
    keeper = keeper or make_user("manager")
    appointment = mediators.appoint(db.session, keeper, user.id, days_ago(from_days_ago))
    if until_days_ago is not None:
        mediators.end(db.session, keeper, appointment.id, days_ago(until_days_ago))
    db.session.commit()
    return appointment


def figure(days=100):
    period = Period.ending(days_ago(0), days)
    return registry.registered()["complaints.mediators"].func(db.session, period, 1.0)


def test_a_mediator_in_office_all_period_counts_one():
    appointed(make_user("complaint_handler"), 400)
    assert figure().value == 1.0


def test_a_mediator_appointed_halfway_counts_half_and_one_who_left_counts_their_days():
    # Period: the 100 days ending today. Appointed 49 days ago: in office 50 of 100 days.
    # Another in office from long before until 69 days ago: the period's first 31 days.
    appointed(make_user("complaint_handler"), 49)
    appointed(make_user("complaint_handler"), 500, until_days_ago=69)
    measured = figure()
    assert measured.value == round((50 + 31) / 100, 4)
    assert len(list(db.session.scalars(measured.records))) == 2


def test_no_mediator_appointed_is_zero_not_no_data():
    assert figure().value == 0.0


def test_a_name_typed_on_a_complaint_is_not_an_appointment():
    complaint = make_complaint()
    services.mediate(db.session, complaint, None, "区消协 王调解员", "双方同意")
    db.session.commit()
    assert figure().value == 0.0


def test_only_staff_who_handle_complaints_can_be_appointed():
    with pytest.raises(ValidationFailed) as refused:
        mediators.appoint(db.session, make_user("manager"), make_user("technician").id,
                          days_ago(1))
    assert refused.value.field == "user_id"


def test_an_outlet_manager_may_not_keep_the_company_register():
    outlet_manager = make_user("manager", outlet_id=make_outlet().id)
    with pytest.raises(PermissionDenied):
        mediators.appoint(db.session, outlet_manager, make_user("complaint_handler").id,
                          days_ago(1))


def test_a_mediator_is_appointed_once_at_a_time():
    handler = make_user("complaint_handler")
    appointed(handler, 10)
    with pytest.raises(Conflict):
        mediators.appoint(db.session, make_user("manager"), handler.id, days_ago(2))


def test_an_appointment_cannot_start_tomorrow_or_end_before_it_began():
    handler, keeper = make_user("complaint_handler"), make_user("manager")
    with pytest.raises(ValidationFailed) as refused:
        mediators.appoint(db.session, keeper, handler.id, days_ago(0) + timedelta(days=1))
    assert refused.value.field == "appointed_on"
    appointment = appointed(handler, 10, keeper=keeper)
    with pytest.raises(ValidationFailed) as refused:
        mediators.end(db.session, keeper, appointment.id, days_ago(11))
    assert refused.value.field == "ended_on"


def test_an_appointment_is_in_the_audit_trail():
    appointment = appointed(make_user("complaint_handler"), 5)
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.record_type == "complaint_mediator_appointments",
        AuditEntry.record_id == str(appointment.id)))
    assert entry is not None


# ---------------------------------------------------------------- through HTTP


def test_a_manager_appoints_and_ends_through_the_api(client):
    headers = bearer(make_token(make_user("manager")))
    handler = make_user("complaint_handler")
    response = client.post("/api/v1/complaint-mediators", headers=headers, json={
        "user_id": handler.id, "appointed_on": days_ago(30).isoformat(), "note": "任命文件3号"})
    assert response.status_code == 201, response.json
    assert response.json["mediator"] == handler.display_name
    ended = client.post(f"/api/v1/complaint-mediators/{response.json['id']}/end",
                        headers=headers, json={"ended_on": days_ago(1).isoformat()})
    assert ended.status_code == 200 and ended.json["ended_on"] == days_ago(1).isoformat()


def test_the_api_names_the_field_of_a_bad_appointment(client):
    headers = bearer(make_token(make_user("manager")))
    response = client.post("/api/v1/complaint-mediators", headers=headers,
                           json={"user_id": make_user("auditor").id,
                                 "appointed_on": days_ago(1).isoformat()})
    assert response.status_code == 422
    assert "user_id" in response.json["errors"]
    assert db.session.scalar(select(MediatorAppointment.id)) is None


def test_a_handler_reads_the_register_but_may_not_appoint(client):
    headers = bearer(make_token(make_user("complaint_handler")))
    assert client.get("/api/v1/complaint-mediators", headers=headers).status_code == 200
    response = client.post("/api/v1/complaint-mediators", headers=headers, json={
        "user_id": make_user("complaint_handler").id, "appointed_on": days_ago(1).isoformat()})
    assert response.status_code == 403


def test_the_manager_appoints_on_the_page(client, sign_in):
    make_user("manager", username="keeper")
    handler = make_user("complaint_handler")
    sign_in("keeper")
    token = csrf_from(client, "/complaints/mediators")
    response = client.post("/complaints/mediators", data={
        "csrf_token": token, "user_id": str(handler.id),
        "appointed_on": days_ago(3).isoformat(), "note": "任命文件"})
    assert response.status_code == 302
    page = client.get("/complaints/mediators").get_data(as_text=True)
    assert handler.display_name in page and days_ago(3).isoformat() in page


def test_the_page_names_a_missing_field(client, sign_in):
    make_user("manager", username="keeper")
    sign_in("keeper")
    token = csrf_from(client, "/complaints/mediators")
    response = client.post("/complaints/mediators", data={"csrf_token": token, "user_id": "",
                                                          "appointed_on": ""})
    assert response.status_code == 422
    assert 'id="e-user_id"' in response.get_data(as_text=True)


def test_a_compliance_page_names_the_mediators_it_counts(client, sign_in):
    mediator = make_user("complaint_handler")
    appointed(mediator, from_days_ago=30)
    snapshot()
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    page = client.get(records_page("complaints.mediators"))
    assert mediator.display_name in page.get_data(as_text=True).split('class="ev-records', 1)[1]


def test_a_compliance_page_opens_an_appointment_at_its_row_of_the_register(client, sign_in):
    mediator = make_user("complaint_handler")
    appointment = appointed(mediator, from_days_ago=30)
    snapshot()
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    page = client.get(records_page("complaints.mediators"))
    assert f'href="/complaints/mediators#{appointment.id}"' in page.get_data(as_text=True)
    register = client.get("/complaints/mediators").get_data(as_text=True)
    assert f'<tr id="{appointment.id}"' in register
