"""Return visits through HTTP (/api/v1/visit-samples, /api/v1/visits...)."""

from datetime import date

from sqlalchemy import func, select

from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from aftersales.visits.models import ReturnVisit
from tests.factories import bearer, make_outlet, make_token, make_user
from tests.visits.factories import MARCH, draw, make_closed_tickets, make_visit

PERIOD = {"from": MARCH[0].isoformat(), "to": MARCH[1].isoformat()}


def headers(role="agent", **scope):
    return bearer(make_token(make_user(role, **scope)))


def test_a_manager_draws_a_sample(client):
    outlet = make_outlet()
    make_closed_tickets(12, date(2026, 3, 10), outlet)
    response = client.post("/api/v1/visit-samples", json={**PERIOD, "seed": 7},
                           headers=headers("manager"))
    assert response.status_code == 201
    body = response.json
    assert (body["population"], body["sampled_count"], body["seed"], body["share"]) == (
        12, 2, 7, 0.1
    )
    assert body["strata"] == [{"outlet_id": outlet.id, "month": "2026-03", "population": 12,
                               "already_sampled": 0, "target": 2, "drawn": 2}]


def test_drawing_the_same_period_again_is_a_409(client):
    make_closed_tickets(3, date(2026, 3, 10))
    manager = headers("manager")
    client.post("/api/v1/visit-samples", json=PERIOD, headers=manager)
    response = client.post("/api/v1/visit-samples", json=PERIOD, headers=manager)
    assert response.status_code == 409
    assert db.session.scalar(select(func.count(ReturnVisit.id))) == 1


def test_a_share_below_10_percent_is_a_422_on_its_field(client):
    response = client.post("/api/v1/visit-samples", json={**PERIOD, "share": 0.05},
                           headers=headers("manager"))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["share"]


def test_an_agent_may_not_draw(client):
    response = client.post("/api/v1/visit-samples", json=PERIOD, headers=headers("agent"))
    assert response.status_code == 403


def test_a_manager_of_one_outlet_may_not_draw_for_all(client):
    outlet = make_outlet()
    make_closed_tickets(3, date(2026, 3, 10), outlet)
    response = client.post("/api/v1/visit-samples", json=PERIOD,
                           headers=headers("manager", outlet_id=outlet.id))
    assert response.status_code == 403


def test_the_redraw_check_matches(client):
    make_closed_tickets(30, date(2026, 3, 10))
    sample = draw()
    response = client.get(f"/api/v1/visit-samples/{sample.id}/redraw", headers=headers("auditor"))
    assert response.json == {"matches": True, "stored": 3, "redrawn": 3}


def test_the_queue_is_oldest_first_in_keyset_pages(client):
    make_closed_tickets(3, date(2026, 3, 10))
    draw(share="1")
    agent = headers("agent")
    first = client.get("/api/v1/visits", query_string={"state": "due", "limit": 2},
                       headers=agent).json
    second = client.get("/api/v1/visits", query_string={"state": "due", "limit": 2,
                                                        "cursor": first["next_cursor"]},
                        headers=agent).json
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(ids) == 3
    assert second["next_cursor"] is None


def test_visits_filter_by_outlet(client):
    here, there = make_outlet(), make_outlet()
    mine = make_visit(outlet=here)
    make_visit(closed_on=date(2026, 3, 11), outlet=there)
    page = client.get("/api/v1/visits", query_string={"outlet": here.id},
                      headers=headers("agent")).json
    assert [item["id"] for item in page["items"]] == [mine.id]


def test_an_agent_of_one_outlet_sees_only_its_visits(client):
    here, there = make_outlet(), make_outlet(region_code="310100")
    mine = make_visit(outlet=here)
    other = make_visit(closed_on=date(2026, 3, 11), outlet=there)
    agent = headers("agent", outlet_id=here.id)
    page = client.get("/api/v1/visits", headers=agent).json
    assert [item["id"] for item in page["items"]] == [mine.id]
    assert client.get(f"/api/v1/visits/{other.id}", headers=agent).status_code == 404


def test_a_dissatisfied_score_answers_with_the_follow_up_number(client):
    visit = make_visit()
    response = client.post(f"/api/v1/visits/{visit.id}/outcome",
                           json={"outcome": "reached", "satisfaction": 1, "comment": "没修好"},
                           headers=headers("agent"))
    assert response.status_code == 200
    body = response.json
    assert (body["state"], body["satisfaction"]) == ("done", 1)
    assert body["follow_up_number"] == f"WO{body['follow_up_ticket_id']:08d}"


def test_the_follow_up_came_in_through_the_return_visit(client):
    visit = make_visit()
    body = client.post(f"/api/v1/visits/{visit.id}/outcome",
                       json={"outcome": "reached", "satisfaction": 1},
                       headers=headers("agent")).json
    assert db.session.get(Ticket, body["follow_up_ticket_id"]).channel == "return_visit"


def test_a_reached_visit_without_a_score_is_a_422_on_its_field(client):
    visit = make_visit()
    response = client.post(f"/api/v1/visits/{visit.id}/outcome", json={"outcome": "reached"},
                           headers=headers("agent"))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["satisfaction"]


def test_unknown_fields_are_refused(client):
    visit = make_visit()
    response = client.post(f"/api/v1/visits/{visit.id}/outcome",
                           json={"outcome": "refused", "mood": "grumpy"}, headers=headers("agent"))
    assert response.status_code == 422
    assert "mood" in response.json["errors"]


def test_an_auditor_reads_but_does_not_record(client):
    visit = make_visit()
    auditor = headers("auditor")
    assert client.get(f"/api/v1/visits/{visit.id}", headers=auditor).status_code == 200
    response = client.post(f"/api/v1/visits/{visit.id}/outcome", json={"outcome": "refused"},
                           headers=auditor)
    assert response.status_code == 403


def test_a_technician_sees_no_visits(client):
    assert client.get("/api/v1/visits", headers=headers("technician")).status_code == 403


def test_the_figures_through_http(client):
    visit = make_visit()
    client.post(f"/api/v1/visits/{visit.id}/outcome", json={"outcome": "reached",
                                                            "satisfaction": 4},
                headers=headers("agent"))
    body = client.get("/api/v1/visits/figures", query_string=PERIOD,
                      headers=headers("auditor")).json
    assert (body["from"], body["to"]) == (PERIOD["from"], PERIOD["to"])
    overall = body["overall"]
    assert (overall["closed"], overall["sampled"], overall["share_sampled"]) == (1, 1, 1.0)
    assert (overall["average_satisfaction"], overall["satisfaction_100"]) == (4.0, 80.0)


def test_a_period_that_ends_before_it_starts_is_a_422_on_its_field(client):
    response = client.get("/api/v1/visits/figures", query_string={"from": "2026-03-31",
                                                                  "to": "2026-03-01"},
                          headers=headers("manager"))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["to"]


def test_a_period_at_the_end_of_the_calendar_is_a_422_not_a_500(client):
    response = client.get("/api/v1/visits/figures", query_string={"from": "9999-12-31",
                                                                  "to": "9999-12-31"},
                          headers=headers("manager"))
    assert response.status_code == 422
