"""The hotline pages through the test client (the browser tests drive the same pages)."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from aftersales.calls.models import Call
from aftersales.extensions import db
from tests.calls.factories import BASE_DAY, at, make_call, make_missed
from tests.conftest import csrf_from
from tests.factories import make_user

DAY = BASE_DAY.isoformat()


def form(client, **overrides):
    return {
        "csrf_token": csrf_from(client, "/calls"),
        "caller_number": "139 1234 5678",
        "direction": "inbound",
        "outcome": "answered",
        "queued_at": f"{DAY}T09:00:00",
        "answered_at": f"{DAY}T09:00:15",
        "ended_at": "",
        "agent_id": "",
        "note": "",
        **overrides,
    }


def calls_in_log() -> int:
    return db.session.scalar(select(func.count()).select_from(Call))


def test_an_agent_logs_a_call_from_the_form(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/calls/log", data=form(client))
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert (call.caller_number, call.wait_seconds) == ("13912345678", 15)


def test_a_bad_field_is_explained_beside_it_and_nothing_is_logged(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/calls/log", data=form(client, answered_at=f"{DAY}T08:00:00"))
    assert response.status_code == 422
    assert 'id="e-answered_at"' in response.get_data(as_text=True)
    assert calls_in_log() == 0


def test_the_answer_time_the_form_prefills_is_ignored_for_a_missed_call(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    data = form(client, outcome="missed", ended_at=f"{DAY}T09:00:40")
    assert client.post("/calls/log", data=data).status_code == 302
    assert db.session.scalar(select(Call.wait_seconds)) == 40


def test_the_agent_the_form_prefills_is_not_recorded_for_a_missed_call(client, sign_in):
    agent = make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    data = form(client, outcome="missed", ended_at=f"{DAY}T09:00:40", agent_id=str(agent.id))
    assert client.post("/calls/log", data=data).status_code == 302
    assert db.session.scalar(select(Call.agent_id)) is None


def test_the_agent_chosen_for_an_answered_call_is_recorded(client, sign_in):
    agent = make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    assert client.post("/calls/log", data=form(client, agent_id=str(agent.id))).status_code == 302
    assert db.session.scalar(select(Call.agent_id)) == agent.id


def test_a_malformed_time_is_a_field_error_not_a_500(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/calls/log", data=form(client, queued_at="not a time"))
    assert response.status_code == 422
    assert 'id="e-queued_at"' in response.get_data(as_text=True)


def test_malformed_filters_do_not_break_the_call_log(client, sign_in):
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    response = client.get("/calls?from=yesterday&to=2020-13-01&agent=x&outcome=lost&number=abc")
    assert response.status_code == 200


def test_an_auditor_sees_the_queue_without_the_callback_buttons(client, sign_in):
    """Nor the numbers to dial: auditors check records, they do not call customers."""
    make_user("auditor", username="wuhao")
    missed = make_missed(queued=at("09:00"))
    sign_in("wuhao")
    page = client.get("/calls/callbacks").get_data(as_text=True)
    assert "139****5678" in page and 'href="tel:' not in page
    assert f"/calls/{missed.id}/callback" not in page


def test_an_auditor_cannot_log_a_call(client, sign_in):
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    assert client.post("/calls/log", data=form(client)).status_code == 403


def test_the_figures_page_refuses_a_bad_date_without_a_500(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    assert client.get("/calls/figures?from=soon").status_code == 422


def test_the_import_page_refuses_a_missing_file_beside_the_field(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post(
        "/calls/import",
        data={"csrf_token": csrf_from(client, "/calls/import")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="e-file"' in response.get_data(as_text=True)


def test_the_import_page_lists_the_bad_rows(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    content = f"caller_number,queued_at,ended_at,outcome\n13912345678,{DAY} 09:00,,missed\n"
    response = client.post(
        "/calls/import",
        data={"csrf_token": csrf_from(client, "/calls/import"),
              "file": (io.BytesIO(content.encode()), "export.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "ended_at" in response.get_data(as_text=True)


def test_the_hotline_link_shows_for_a_role_that_may_read_calls(client, sign_in):
    make_user("dispatcher", username="liuyang")
    sign_in("liuyang")
    assert 'href="/calls"' in client.get("/").get_data(as_text=True)


def test_the_hotline_link_is_hidden_from_a_role_that_may_not(client, sign_in):
    make_user("trainer", username="zhouting")
    sign_in("zhouting")
    assert 'href="/calls"' not in client.get("/").get_data(as_text=True)


def test_the_call_form_marks_every_bad_field_at_once(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/calls/log", data=form(client, caller_number="12345",
                                                   queued_at="not a time", outcome="lost"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert all(f'id="e-{name}"' in page for name in ("caller_number", "queued_at", "outcome"))


def test_every_rule_the_call_breaks_is_marked_beside_its_field(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/calls/log", data=form(
        client, answered_at=f"{DAY}T08:00:00", ended_at=f"{DAY}T08:30:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="e-answered_at"' in page and 'id="e-ended_at"' in page


def test_a_refused_call_is_drawn_above_the_unfiltered_log(client, sign_in):
    make_user("agent", username="zhangmin")
    make_call("13800001111", outcome="answered")
    sign_in("zhangmin")
    response = client.post("/calls/log", data=form(client, outcome="missed"))
    assert response.status_code == 422  # an unanswered call needs its end time
    assert "13800001111" in response.get_data(as_text=True)


def test_the_log_finds_a_number_typed_with_its_country_code(client, sign_in):
    make_user("auditor", username="wuhao")
    make_call("13800001111")
    make_call("13912345678")
    sign_in("wuhao")
    page = client.get("/calls?number=%2B86 138-0000-1111").get_data(as_text=True)
    assert "138****1111" in page and "139****5678" not in page  # an auditor's masked view


def test_a_period_that_ends_before_it_starts_is_marked_and_not_applied(client, sign_in):
    make_user("auditor", username="wuhao")
    make_call("13800001111")
    sign_in("wuhao")
    later = (BASE_DAY + timedelta(days=5)).isoformat()
    page = client.get(f"/calls?from={later}&to={DAY}").get_data(as_text=True)
    assert 'class="field has-error"' in page and "138****1111" in page


def test_calling_back_a_call_no_longer_waiting_says_why_on_the_queue(client, sign_in):
    make_user("agent", username="zhangmin")
    answered = make_call("13800001111")
    sign_in("zhangmin")
    response = client.post(f"/calls/{answered.id}/callback", data={
        "outcome": "answered", "csrf_token": csrf_from(client, "/calls/callbacks")})
    assert response.status_code == 409
    assert 'role="alert"' in response.get_data(as_text=True)


def test_the_import_page_refuses_a_file_input_left_empty(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post(
        "/calls/import",
        data={"csrf_token": csrf_from(client, "/calls/import"), "file": (io.BytesIO(b""), "")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="e-file"' in response.get_data(as_text=True)


def test_the_figures_page_draws_the_answer_rate_day_by_day_with_its_table(client, sign_in):
    make_call(queued=at("10:00"))
    make_missed(queued=at("10:00", day=1))
    make_call(queued=at("11:00", day=1))
    make_user("manager", username="lijing")
    sign_in("lijing")
    page = client.get(f"/calls/figures?from={DAY}&to={(BASE_DAY + timedelta(days=1)).isoformat()}"
                      ).get_data(as_text=True)
    section = page.split('id="answering-by-day"')[1].split("</section>")[0]
    assert '<svg class="chart chart-line-chart"' in section
    assert "<td data-label" in section and "100.0%" in section and "50.0%" in section
