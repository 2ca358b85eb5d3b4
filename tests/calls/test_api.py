"""The call log through HTTP (/api/v1/calls...)."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from aftersales.calls.models import Call
from aftersales.extensions import db
from tests.calls.factories import BASE_DAY, at, make_call, make_callback, make_missed
from tests.factories import bearer, make_token, make_user

DAY = BASE_DAY.isoformat()


def headers(role="agent"):
    return bearer(make_token(make_user(role)))


def body(**overrides):
    return {
        "caller_number": "13912345678",
        "queued_at": at("09:00").isoformat(),
        "answered_at": at("09:00:42").isoformat(),
        "ended_at": at("09:04").isoformat(),
        "outcome": "answered",
        **overrides,
    }


def upload(client, content: bytes, role="agent"):
    return client.post(
        "/api/v1/calls/import",
        data={"file": (io.BytesIO(content), "export.csv")},
        content_type="multipart/form-data",
        headers=headers(role),
    )


def test_a_call_is_logged_with_201_and_its_wait_computed(client):
    response = client.post("/api/v1/calls", json=body(), headers=headers())
    assert response.status_code == 201
    assert (response.json["wait_seconds"], response.json["within_hotline_hours"]) == (42, True)


def test_a_call_centre_number_of_any_kind_is_kept_as_digits(client):
    response = client.post(
        "/api/v1/calls", json=body(caller_number="400-820-8820"), headers=headers()
    )
    assert (response.status_code, response.json["caller_number"]) == (201, "4008208820")


def test_the_list_filters_by_number(client):
    make_call("13900000001", at("09:00"))
    wanted = make_call("13900000002", at("09:10"))
    page = client.get(
        "/api/v1/calls", query_string={"caller_number": "+86 139 0000 0002"}, headers=headers()
    ).json
    assert [item["id"] for item in page["items"]] == [wanted.id]


def test_answered_before_queued_is_a_422_on_that_field(client):
    response = client.post(
        "/api/v1/calls", json=body(answered_at=at("08:59").isoformat()), headers=headers()
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["answered_at"]


def test_a_wait_sent_by_the_client_is_refused_as_an_unknown_field(client):
    response = client.post("/api/v1/calls", json=body(wait_seconds=3), headers=headers())
    assert response.status_code == 422
    assert "wait_seconds" in response.json["errors"]


def test_a_time_without_a_zone_is_a_422_not_a_500(client):
    response = client.post(
        "/api/v1/calls", json=body(queued_at=f"{DAY}T09:00:00"), headers=headers()
    )
    assert response.status_code == 422
    assert "queued_at" in response.json["errors"]


def test_the_list_filters_by_outcome_and_local_days(client):
    make_missed("13900000001", at("09:00"))
    make_missed("13900000002", at("09:00", day=1))
    make_call("13900000003", at("10:00"))
    page = client.get(
        "/api/v1/calls",
        query_string={"outcome": "missed", "from": DAY, "to": DAY},
        headers=headers("auditor"),
    ).json
    # The auditor checks the log; they do not call back, so the number is masked.
    assert [item["caller_number"] for item in page["items"]] == ["139****0001"]


def test_the_list_filters_by_agent_and_direction(client):
    agent = make_user("agent")
    mine = make_call("13900000001", at("09:00"), agent_id=agent.id)
    make_call("13900000002", at("09:10"))
    make_call("13900000003", at("09:20"), direction="outbound", agent_id=agent.id)
    page = client.get(
        "/api/v1/calls",
        query_string={"agent": agent.id, "direction": "inbound"},
        headers=headers(),
    ).json
    assert [item["id"] for item in page["items"]] == [mine.id]


def test_the_log_is_latest_call_first_even_when_older_calls_are_logged_later(client):
    today = make_call("13900000001", at("09:00"))
    yesterday = make_call("13900000002", at("09:00", day=-1))  # e.g. imported afterwards
    this_afternoon = make_call("13900000003", at("15:00"))
    page = client.get("/api/v1/calls", headers=headers()).json
    assert [item["id"] for item in page["items"]] == [this_afternoon.id, today.id, yesterday.id]


def test_the_log_pages_walk_every_call_once(client):
    auth = headers()
    ids = [make_call(f"1390000000{n}", at(f"0{n}:00")).id for n in range(1, 8)]
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/calls", query_string=query, headers=auth).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]


def test_a_forged_cursor_is_a_field_error(client):
    response = client.get("/api/v1/calls", query_string={"cursor": "x!"}, headers=headers())
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["cursor"]


def test_a_period_ending_before_it_starts_is_a_422(client):
    response = client.get(
        "/api/v1/calls", query_string={"from": DAY, "to": "2020-01-01"}, headers=headers()
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["to"]


def test_the_callback_queue_is_served_oldest_first(client):
    later = make_missed("13900000001", at("11:00"))
    earlier = make_missed("13900000002", at("09:00"))
    page = client.get("/api/v1/calls/callbacks", headers=headers("dispatcher")).json
    assert [item["id"] for item in page["items"]] == [earlier.id, later.id]


def test_calling_back_logs_the_outbound_call_and_empties_the_queue(client):
    missed = make_missed(queued=at("09:00"))
    auth = headers()
    response = client.post(
        f"/api/v1/calls/{missed.id}/callback",
        json={"queued_at": at("09:20").isoformat(), "answered_at": at("09:20:05").isoformat()},
        headers=auth,
    )
    assert response.status_code == 201
    assert (response.json["direction"], response.json["callback_of_id"]) == (
        "outbound", missed.id,
    )
    assert client.get("/api/v1/calls/callbacks", headers=auth).json["items"] == []


def test_calling_back_an_unknown_call_is_a_404(client):
    response = client.post(
        "/api/v1/calls/999/callback", json={"queued_at": at("09:20").isoformat()},
        headers=headers(),
    )
    assert response.status_code == 404


def test_the_figures_for_a_period(client):
    make_call("13900000001", at("09:00"))
    missed = make_missed("13900000002", at("10:00"))
    make_callback(missed, after=timedelta(minutes=15), wait=0)
    figures = client.get(
        "/api/v1/calls/figures", query_string={"from": DAY, "to": DAY},
        headers=headers("manager"),
    ).json
    assert (figures["offered"], figures["answered"], figures["answer_rate"]) == (2, 1, 0.5)
    assert (figures["called_back"], figures["callback_seconds_max"]) == (1, 900)


def test_the_figures_need_a_period(client):
    response = client.get("/api/v1/calls/figures", headers=headers("manager"))
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"from", "to"}


def test_an_upload_is_imported_with_201(client):
    content = f"caller_number,queued_at,ended_at,outcome\n139123456,{DAY} 09:00,{DAY} 09:01,missed"
    response = upload(client, content.encode())
    assert (response.status_code, response.json) == (201, {"imported": 1})


def test_an_upload_with_a_bad_row_answers_422_with_the_rows_and_imports_nothing(client):
    content = (
        "caller_number,queued_at,ended_at,outcome\n"
        f"13912345678,{DAY} 09:00,{DAY} 09:01,missed\n"
        f"13912345678,{DAY} 09:05,{DAY} 09:01,missed\n"
    )
    response = upload(client, content.encode())
    assert response.status_code == 422
    assert response.json["code"] == "validation_error"
    assert [(r["row"], r["field"]) for r in response.json["rows"]] == [(3, "ended_at")]
    assert db.session.scalar(select(func.count()).select_from(Call)) == 0


def test_an_upload_that_is_not_csv_answers_422_on_the_file(client):
    response = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["file"]


def test_an_import_without_a_file_answers_422_on_the_file(client):
    response = client.post(
        "/api/v1/calls/import", data={}, content_type="multipart/form-data", headers=headers()
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["file"]


def test_an_auditor_reads_the_log_but_cannot_log_a_call(client):
    auth = headers("auditor")
    assert client.get("/api/v1/calls", headers=auth).status_code == 200
    assert client.post("/api/v1/calls", json=body(), headers=auth).status_code == 403
