"""Staff see the satisfaction survey's answers: on the work order's page, in the return
visits' Surveys tab; a manager changes the dimensions' weights in the rubric."""

import pytest

from aftersales.evidence.compliance import rubric
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.evidence.factories import clause_fed_by, records_page, snapshot
from tests.factories import bearer, make_token, make_user
from tests.visits.factories import answered_survey

SCORES = {"timeliness": 5, "attitude": 4, "skill": 3, "result": 2, "fees": 1}


@pytest.fixture(autouse=True)
def _everyone_asked(settings_changed):
    settings_changed("visits", survey_share=1.0)


def test_the_work_order_page_shows_the_customers_answer(client, sign_in):
    answer = answered_survey(SCORES, comment="等了好久")
    make_user("dispatcher", username="wangfang")
    sign_in("wangfang")
    page = client.get(f"/tickets/{answer.ticket_id}").get_data(as_text=True)
    assert 'id="satisfaction-survey"' in page and "等了好久" in page and "2 / 5" in page


def test_the_surveys_tab_lists_the_answers(client, sign_in):
    answer = answered_survey(SCORES, comment="收费合理")
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    page = client.get("/visits/surveys").get_data(as_text=True)
    assert answer.ticket_number in page and "收费合理" in page


def test_a_manager_changes_the_weights_in_the_rubric(client, sign_in):
    make_user("manager", username="liqiang")
    sign_in("liqiang")
    response = client.post("/evidence/rubric/weights/visits.survey_index", data={
        "csrf_token": csrf_from(client, "/evidence/rubric"), **dict.fromkeys(SCORES, "1"),
        "timeliness": "3", "reason": "及时性最重要"})
    assert response.status_code == 302
    assert rubric.current(db.session).weights["visits.survey_index"]["timeliness"] == 3.0


def test_weights_without_a_reason_are_refused_beside_the_form(client, sign_in):
    make_user("manager", username="liqiang")
    sign_in("liqiang")
    response = client.post("/evidence/rubric/weights/visits.survey_index", data={
        "csrf_token": csrf_from(client, "/evidence/rubric"), **dict.fromkeys(SCORES, "2")})
    assert response.status_code == 422 and 'id="w-visits.survey_index"' in response.get_data(
        as_text=True)
    assert rubric.current(db.session).weights["visits.survey_index"]["fees"] == 1.0


def test_the_compliance_drill_down_shows_one_answer_alone(client, sign_in):
    one = answered_survey(SCORES, comment="只看这一份")
    answered_survey(SCORES, comment="另一份")
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    page = client.get(f"/visits/surveys?survey={one.id}").get_data(as_text=True)
    assert "只看这一份" in page and "另一份" not in page


def test_the_records_page_names_each_answer_by_its_work_order_and_links_to_it(client, sign_in):
    answer = answered_survey({**SCORES, "fees": 1, "result": 1, "skill": 1})  # a failing one
    snapshot(only={clause_fed_by("visits.survey_index")})
    make_user("manager", username="liqiang")
    sign_in("liqiang")
    page = client.get(records_page("visits.survey_index"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and answer.ticket_number in html
    assert f"/visits/surveys?survey={answer.id}" in html


def test_the_rubric_api_gives_the_weights(client):
    token = make_token(make_user("manager"))
    rules = client.get("/api/v1/evidence/rubric", headers=bearer(token)).get_json()
    assert rules["weights"]["visits.survey_index"] == dict.fromkeys(SCORES, 1.0)
