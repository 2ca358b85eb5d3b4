"""/api/v1/calendar through HTTP, with a bearer token."""

from sqlalchemy import select

from aftersales.calendar.models import CalendarDay
from aftersales.extensions import db
from tests.factories import bearer, make_outlet, make_token, make_user


def token_of(role, **grant):
    return bearer(make_token(make_user(role, **grant)))


def test_an_admin_puts_a_year_and_reads_it_back(client):
    headers = token_of("admin")
    body = {"entries": [{"day": "2027-02-06", "kind": "holiday", "name": "春节"},
                        {"day": "2027-02-14", "kind": "workday", "name": "春节调休"}]}
    response = client.put("/api/v1/calendar/years/2027", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["source"] == "entered"
    read = client.get("/api/v1/calendar/years/2027", headers=headers).json
    assert [entry["day"] for entry in read["entries"]] == ["2027-02-06", "2027-02-14"]


def test_a_year_with_a_bad_entry_names_the_field(client):
    body = {"entries": [{"day": "2027-02-06", "kind": "vacation", "name": "春节"}]}
    response = client.put("/api/v1/calendar/years/2027", json=body, headers=token_of("admin"))
    assert response.status_code == 422
    assert "entries" in response.json["errors"]
    assert db.session.scalar(select(CalendarDay.id)) is None


def test_a_date_of_another_year_is_refused(client):
    body = {"entries": [{"day": "2028-01-01", "kind": "holiday", "name": "元旦"}]}
    response = client.put("/api/v1/calendar/years/2027", json=body, headers=token_of("admin"))
    assert response.status_code == 422
    assert "entries.0.day" in response.json["errors"]


def test_an_official_holiday_cannot_belong_to_one_outlet(client):
    outlet = make_outlet()
    body = {"entries": [{"day": "2027-01-01", "kind": "holiday", "name": "元旦",
                         "outlet_id": outlet.id}]}
    response = client.put("/api/v1/calendar/years/2027", json=body, headers=token_of("admin"))
    assert response.status_code == 422
    assert "entries.0.outlet_id" in response.json["errors"]


def test_a_year_out_of_range_is_404(client):
    assert client.get("/api/v1/calendar/years/99999",
                      headers=token_of("admin")).status_code == 404


def test_a_manager_reads_but_may_not_change_the_calendar(client):
    headers = token_of("manager")
    assert client.get("/api/v1/calendar/years", headers=headers).status_code == 200
    response = client.put("/api/v1/calendar/years/2027", json={"entries": []}, headers=headers)
    assert response.status_code == 403


def test_an_admin_scoped_to_one_outlet_may_not_keep_anothers_hours(client):
    ours, theirs = make_outlet(), make_outlet()
    headers = token_of("admin", outlet_id=ours.id)
    body = {"workday": "00:00-24:00", "weekend": "00:00-24:00", "holiday": "00:00-24:00"}
    assert client.put(f"/api/v1/calendar/outlets/{ours.id}/hours", json=body,
                      headers=headers).status_code == 200
    assert client.put(f"/api/v1/calendar/outlets/{theirs.id}/hours", json=body,
                      headers=headers).status_code == 404


def test_company_hours_are_put_and_read(client):
    headers = token_of("admin")
    body = {"workday": "08:30-12:00,13:00-17:30", "weekend": "", "holiday": "",
            "sat": "09:00-12:00"}
    response = client.put("/api/v1/calendar/hours", json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["windows"]["sat"] == "09:00-12:00"
    assert response.json["source"] == "company"


def test_hours_missing_a_kind_of_day_are_refused(client):
    response = client.put("/api/v1/calendar/hours", json={"workday": "09:00-18:00"},
                          headers=token_of("admin"))
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"weekend", "holiday"}


def test_overlapping_hours_are_refused_naming_the_day(client):
    body = {"workday": "09:00-18:00", "weekend": "", "holiday": "",
            "sat": "09:00-12:00,11:30-13:00"}
    response = client.put("/api/v1/calendar/hours", json=body, headers=token_of("admin"))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["sat"]


def test_unknown_fields_are_refused(client):
    body = {"workday": "09:00-18:00", "weekend": "", "holiday": "", "lunch": "12:00-13:00"}
    response = client.put("/api/v1/calendar/hours", json=body, headers=token_of("admin"))
    assert response.status_code == 422


def test_due_answers_with_the_offset_and_the_guessed_years(client):
    response = client.get("/api/v1/calendar/due",
                          query_string={"from": "2027-02-05T17:00:00+08:00", "hours": "2"},
                          headers=token_of("agent"))
    assert response.status_code == 200, response.json
    assert response.json["due"] == "2027-02-08T02:00:00+00:00"
    assert response.json["guessed_years"] == [2027]


def test_due_refuses_a_time_without_an_offset(client):
    response = client.get("/api/v1/calendar/due",
                          query_string={"from": "2027-02-05T17:00:00", "hours": "2"},
                          headers=token_of("agent"))
    assert response.status_code == 422
    assert "from" in response.json["errors"]


def test_due_refuses_a_bad_window_naming_it(client):
    response = client.get("/api/v1/calendar/due", query_string={
        "from": "2026-11-02T17:00:00+08:00", "hours": "2", "hours_window": "18:00-09:00"},
        headers=token_of("agent"))
    assert response.status_code == 422
    assert "hours_window" in response.json["errors"]


def test_a_technician_may_not_read_the_calendar(client):
    assert client.get("/api/v1/calendar/years",
                      headers=token_of("technician")).status_code == 403
