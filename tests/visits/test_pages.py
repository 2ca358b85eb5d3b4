"""The return-visit pages: the agent's queue, the manager's drawing, the figures."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from aftersales.core.clock import local_today
from aftersales.extensions import db
from aftersales.visits.models import ReturnVisit, VisitSample
from tests.conftest import csrf_from
from tests.evidence.factories import records_page, snapshot
from tests.factories import make_customer, make_user
from tests.visits.factories import MARCH, make_closed_tickets, make_visit


def test_the_queue_shows_whom_to_call(client, sign_in):
    make_user("agent", username="zhangmin")
    make_visit(customer=make_customer(name="李雷", phone="13800001111"))
    sign_in("zhangmin")
    page = client.get("/visits").get_data(as_text=True)
    assert "李雷" in page
    assert 'href="tel:13800001111"' in page
    assert 'name="csrf_token"' in page


def test_the_queue_takes_the_same_queries_for_any_number_of_visits(client, sign_in,
                                                                   count_queries):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/visits").status_code == 200
        return len(statements)

    make_visit(closed_on=date(2026, 3, 2))
    one = queries()
    for day in range(3, 9):
        make_visit(closed_on=date(2026, 3, day), customer=make_customer())
    assert queries() == one


def test_a_score_is_recorded_from_the_page(client, sign_in):
    make_user("agent", username="zhangmin")
    visit = make_visit()
    sign_in("zhangmin")
    response = client.post(f"/visits/{visit.id}/record", data={
        "outcome": "reached", "satisfaction": "5", "csrf_token": csrf_from(client, "/visits")})
    assert response.status_code == 302
    db.session.refresh(visit)
    assert (visit.state, visit.satisfaction) == ("done", 5)


def test_reached_without_a_score_is_explained_beside_the_field(client, sign_in):
    make_user("agent", username="zhangmin")
    visit = make_visit()
    sign_in("zhangmin")
    response = client.post(f"/visits/{visit.id}/record", data={
        "outcome": "reached", "comment": "挺好", "csrf_token": csrf_from(client, "/visits")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="e-{visit.id}-satisfaction"' in page
    assert "挺好" in page  # what was typed is kept


def test_a_score_picked_before_not_reached_is_ignored(client, sign_in):
    make_user("agent", username="zhangmin")
    visit = make_visit()
    sign_in("zhangmin")
    client.post(f"/visits/{visit.id}/record", data={
        "outcome": "not_reached", "satisfaction": "3", "csrf_token": csrf_from(client, "/visits")})
    db.session.refresh(visit)
    assert (visit.state, visit.attempts, visit.satisfaction) == ("due", 1, None)


def test_a_dissatisfied_score_names_the_follow_up(client, sign_in):
    make_user("agent", username="zhangmin")
    visit = make_visit()
    sign_in("zhangmin")
    response = client.post(f"/visits/{visit.id}/record", follow_redirects=True, data={
        "outcome": "reached", "satisfaction": "1", "csrf_token": csrf_from(client, "/visits")})
    db.session.refresh(visit)
    assert f"WO{visit.follow_up_ticket_id:08d}" in response.get_data(as_text=True)


def test_recording_a_visit_already_done_is_explained_not_a_500(client, sign_in):
    make_user("agent", username="zhangmin")
    visit = make_visit()
    sign_in("zhangmin")
    token = csrf_from(client, "/visits")
    client.post(f"/visits/{visit.id}/record", data={"outcome": "refused", "csrf_token": token})
    response = client.post(f"/visits/{visit.id}/record",
                           data={"outcome": "refused", "csrf_token": token})
    assert response.status_code == 409


def test_an_auditor_sees_the_queue_without_forms(client, sign_in):
    make_user("auditor", username="wuhao")
    make_visit()
    sign_in("wuhao")
    page = client.get("/visits").get_data(as_text=True)
    assert 'name="outcome"' not in page


def test_the_done_list_links_the_follow_up(client, sign_in):
    from aftersales.visits import services

    make_user("manager", username="lijing")
    visit = make_visit()
    services.record_visit(db.session, visit, None, "reached", 2, "太慢了")
    db.session.commit()
    sign_in("lijing")
    page = client.get("/visits/done").get_data(as_text=True)
    assert f"/tickets/{visit.follow_up_ticket_id}" in page
    assert "太慢了" in page


def test_the_done_list_shows_one_visit_alone_when_named(client, sign_in):
    """A compliance page's drill-down to a return visit lands here, on that visit only."""
    from aftersales.visits import services

    make_user("auditor", username="wuhao")
    named, other = make_visit(customer=make_customer(name="李雷")), make_visit(
        closed_on=date(2026, 3, 11), customer=make_customer(name="韩梅"))
    for visit in (named, other):
        services.record_visit(db.session, visit, None, "reached", 5, "")
    db.session.commit()
    sign_in("wuhao")
    page = client.get(f"/visits/done?visit={named.id}").get_data(as_text=True)
    assert "李雷" in page and "韩梅" not in page


def test_a_compliance_page_drills_down_to_the_visit_on_a_page(client, sign_in):
    from aftersales.visits import services

    visit = make_visit(closed_on=local_today() - timedelta(days=5))
    services.record_visit(db.session, visit, None, "reached", 1, "")
    db.session.commit()
    snapshot()
    make_user("manager", username="lijing")
    sign_in("lijing")
    records = client.get(records_page("visits.satisfaction"))
    assert f'href="/visits/done?visit={visit.id}"' in records.get_data(as_text=True)


@pytest.mark.parametrize("share", ["10", ""])  # left empty: the usual 10 percent
def test_a_manager_draws_and_sees_the_strata(client, sign_in, share):
    make_user("manager", username="lijing")
    make_closed_tickets(12, date(2026, 3, 10))
    sign_in("lijing")
    response = client.post("/visits/sample", follow_redirects=True, data={
        "from": "2026-03-01", "to": "2026-03-31", "share": share, "seed": "42",
        "csrf_token": csrf_from(client, "/visits/sample")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="seed">42<', page)
    assert re.search(r'id="population">12<', page) and re.search(r'id="sampled">2<', page)
    assert "2026-03" in page


def test_a_bad_share_is_explained_beside_its_field(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    response = client.post("/visits/sample", data={
        "from": "2026-03-01", "to": "2026-03-31", "share": "5",
        "csrf_token": csrf_from(client, "/visits/sample")})
    assert response.status_code == 422
    assert 'id="e-share"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(VisitSample.id))) == 0


def test_a_bad_date_on_the_sample_page_is_explained_not_a_500(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    response = client.post("/visits/sample", data={
        "from": "yesterday", "to": "2026-03-31", "share": "10",
        "csrf_token": csrf_from(client, "/visits/sample")})
    assert response.status_code == 422
    assert 'id="e-from"' in response.get_data(as_text=True)


def test_nothing_more_to_draw_is_explained(client, sign_in):
    make_user("manager", username="lijing")
    make_closed_tickets(3, date(2026, 3, 10))
    sign_in("lijing")
    data = {"from": "2026-03-01", "to": "2026-03-31", "share": "10",
            "csrf_token": csrf_from(client, "/visits/sample")}
    client.post("/visits/sample", data=data)
    response = client.post("/visits/sample", data=data)
    assert response.status_code == 409
    assert "form-error" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReturnVisit.id))) == 1


def test_an_agent_may_not_open_the_sample_page(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    assert client.get("/visits/sample").status_code == 403


def test_the_sample_page_redraws_on_request(client, sign_in):
    from tests.visits.factories import draw

    make_user("auditor", username="wuhao")
    make_closed_tickets(20, date(2026, 3, 10))
    sample = draw()
    sign_in("wuhao")
    page = client.get(f"/visits/samples/{sample.id}?check=1").get_data(as_text=True)
    assert 'class="status on" id="redraw"' in page


def test_the_figures_page_shows_the_period(client, sign_in):
    make_user("auditor", username="wuhao")
    visit = make_visit()
    from aftersales.visits import services

    services.record_visit(db.session, visit, None, "reached", 5)
    db.session.commit()
    sign_in("wuhao")
    page = client.get("/visits/figures", query_string={
        "from": MARCH[0].isoformat(), "to": MARCH[1].isoformat()}).get_data(as_text=True)
    assert re.search(r'id="fig-satisfaction-100"><span class="value">100.0<', page)


def test_a_bad_period_on_the_figures_page_is_explained_not_a_500(client, sign_in):
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    response = client.get("/visits/figures?from=2026-03-31&to=2026-03-01")
    assert response.status_code == 422
    assert 'id="e-to"' in response.get_data(as_text=True)


def test_every_bad_field_of_the_sample_form_is_named_at_once(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    response = client.post("/visits/sample", data={
        "from": "yesterday", "to": "", "share": "5", "seed": "-1",
        "csrf_token": csrf_from(client, "/visits/sample")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert all(f'id="e-{name}"' in page for name in ("from", "to", "share", "seed"))
    assert 'value="yesterday"' in page  # what was typed is kept


def test_recording_keeps_the_queues_page_and_filter(client, sign_in):
    from tests.factories import make_outlet

    make_user("agent", username="zhangmin")
    outlet = make_outlet(code="SH-01")
    visit = make_visit(outlet=outlet)
    sign_in("zhangmin")
    action = f"/visits/{visit.id}/record?outlet={outlet.id}"
    assert f'action="{action}"' in client.get(f"/visits?outlet={outlet.id}").get_data(
        as_text=True)
    response = client.post(action, data={
        "outcome": "refused", "csrf_token": csrf_from(client, "/visits")})
    assert response.headers["Location"].endswith(f"/visits?outlet={outlet.id}")


def test_a_refused_score_on_a_visit_outside_the_scope_stays_a_404(client, sign_in):
    from tests.factories import make_outlet

    ours, theirs = make_outlet(code="SH-01"), make_outlet(code="BJ-01")
    make_user("agent", username="zhangmin", outlet_id=ours.id)
    visit = make_visit(outlet=theirs)
    sign_in("zhangmin")
    response = client.post(f"/visits/{visit.id}/record", data={
        "outcome": "reached", "csrf_token": csrf_from(client, "/visits")})
    assert response.status_code == 404
    db.session.refresh(visit)
    assert visit.state == "due"


def test_a_bad_day_on_the_figures_page_is_named_and_the_other_kept(client, sign_in,
                                                                  monkeypatch):
    from aftersales.visits import sampling

    monkeypatch.setattr(sampling, "local_today", lambda: date(2026, 4, 15))  # last: March
    make_user("auditor", username="wuhao")
    sign_in("wuhao")
    response = client.get("/visits/figures?from=soon&to=2026-03-20")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="e-from"' in page
    assert 'value="2026-03-01"' in page and 'value="2026-03-20"' in page
