"""The outlet manager keeps the outlet's visit windows: adds one, changes its capacity
(0 closes it); a bad time is refused beside its field."""

from datetime import time

from aftersales.extensions import db
from aftersales.outlets.models import ServiceSlot
from tests.conftest import csrf_from
from tests.factories import make_outlet, make_slots, make_user


def _manager_of(outlet, client, sign_in):
    make_user("manager", username="wangfang", outlet_id=outlet.id)
    sign_in("wangfang")
    return csrf_from(client, f"/outlets/{outlet.id}/windows")


def test_a_manager_adds_a_window(client, sign_in):
    outlet = make_outlet()
    token = _manager_of(outlet, client, sign_in)
    response = client.post(f"/outlets/{outlet.id}/windows", data={
        "weekday": "2", "starts": "14:00", "ends": "18:00", "capacity": "4",
        "csrf_token": token})
    assert response.status_code == 302
    slot = db.session.query(ServiceSlot).one()
    assert (slot.weekday, slot.starts, slot.ends, slot.capacity) == (2, time(14), time(18), 4)


def test_a_window_ending_before_it_starts_is_refused_beside_the_field(client, sign_in):
    outlet = make_outlet()
    token = _manager_of(outlet, client, sign_in)
    response = client.post(f"/outlets/{outlet.id}/windows", data={
        "weekday": "2", "starts": "14:00", "ends": "13:00", "capacity": "4",
        "csrf_token": token})
    assert response.status_code == 422
    assert 'id="e-ends"' in response.get_data(as_text=True)


def test_a_manager_closes_a_window_with_capacity_zero(client, sign_in):
    outlet = make_outlet()
    slot = make_slots(outlet, weekdays=[1])[0]
    token = _manager_of(outlet, client, sign_in)
    response = client.post(f"/outlets/{outlet.id}/windows/{slot.id}",
                           data={"capacity": "0", "csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(slot)
    assert slot.capacity == 0


def test_the_page_lists_the_windows(client, sign_in):
    outlet = make_outlet()
    make_slots(outlet, time(8, 30), time(11), weekdays=[0])
    _manager_of(outlet, client, sign_in)
    page = client.get(f"/outlets/{outlet.id}/windows").get_data(as_text=True)
    assert "08:30–11:00" in page
