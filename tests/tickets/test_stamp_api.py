"""The GPS stamp API: 201 the first time, 200 with the stored stamp on a resend, 422 with
the field for coordinates that cannot be a position."""

import uuid

from aftersales.core.clock import utcnow
from tests.factories import bearer, make_token, make_user
from tests.tickets.stamp_helpers import assigned_ticket, at_distance


def body(kind="arrive", point=(39.908722, 116.397499), **overrides):
    return {"client_id": str(uuid.uuid4()), "kind": kind, "latitude": point[0],
            "longitude": point[1], "accuracy_m": 12.5, "device_at": utcnow().isoformat(),
            **overrides}


def test_a_stamp_is_created_then_a_resend_returns_it_unchanged(client):
    ticket, technician, _desk = assigned_ticket()
    auth = bearer(make_token(technician))
    sent = body(point=at_distance(120))
    first = client.post(f"/api/v1/tickets/{ticket.id}/stamps", json=sent, headers=auth)
    again = client.post(f"/api/v1/tickets/{ticket.id}/stamps", json={**sent, "queued": True},
                        headers=auth)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["stamp"]["status"] == "verified"
    assert first.json["ticket_state"] == "on_site" and again.json["resent"] is True
    assert again.json["stamp"] == first.json["stamp"]
    listed = client.get(f"/api/v1/tickets/{ticket.id}/stamps", headers=auth).json
    assert [stamp["id"] for stamp in listed] == [first.json["stamp"]["id"]]


def test_an_off_site_arrival_is_201_with_its_distance_and_message(client):
    ticket, technician, _desk = assigned_ticket()
    response = client.post(f"/api/v1/tickets/{ticket.id}/stamps",
                           json=body(point=at_distance(3000)),
                           headers=bearer(make_token(technician)))
    assert response.status_code == 201
    assert (response.json["stamp"]["status"], response.json["stamp"]["distance_m"]) == (
        "off_site", 3000)
    assert "3000" in response.json["message"]


def test_out_of_range_coordinates_are_422_naming_the_field(client):
    ticket, technician, _desk = assigned_ticket()
    response = client.post(f"/api/v1/tickets/{ticket.id}/stamps",
                           json=body(point=(39.9, 200.0)), headers=bearer(make_token(technician)))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["longitude"]


def test_a_malformed_stamp_is_422(client):
    ticket, technician, _desk = assigned_ticket()
    response = client.post(f"/api/v1/tickets/{ticket.id}/stamps",
                           json=body(client_id="not-a-uuid", kind="teleport", extra=1),
                           headers=bearer(make_token(technician)))
    assert response.status_code == 422
    assert {"client_id", "kind", "extra"} <= set(response.json["errors"])


def test_another_technician_may_not_stamp(client):
    ticket, _technician, _desk = assigned_ticket()
    response = client.post(f"/api/v1/tickets/{ticket.id}/stamps", json=body(),
                           headers=bearer(make_token(make_user("technician"))))
    assert response.status_code == 403


def test_the_work_order_shows_its_service_location(client):
    ticket, technician, _desk = assigned_ticket()
    shown = client.get(f"/api/v1/tickets/{ticket.id}", headers=bearer(make_token(technician)))
    assert shown.json["service_location_precision"] == "exact"
    assert shown.json["service_latitude"] == "39.908722"
