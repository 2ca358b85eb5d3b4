"""The satisfaction survey page (portal/survey_views.py): opening the link changes
nothing, the answer spends it once, and a used, expired or foreign link is refused with
nothing changed."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from aftersales.core.clock import utcnow
from aftersales.customers.models import CustomerAct, CustomerLink
from aftersales.extensions import db
from aftersales.tickets import customer_steps
from aftersales.tickets.services import get_ticket
from aftersales.visits.models import SatisfactionSurvey
from tests.conftest import csrf_from
from tests.visits.factories import make_closed_ticket, sent_surveys

PHONE_UA = "Mozilla/5.0 (iPhone) MicroMessenger/8.0"
ANSWER = {"timeliness": "5", "attitude": "4", "skill": "5", "result": "3", "fees": "4",
          "comment": "很满意"}


@pytest.fixture
def survey_path(settings_changed):
    settings_changed("visits", survey_share=1.0)
    make_closed_ticket(utcnow() - timedelta(hours=5))
    (token,) = sent_surveys(utcnow())
    return f"/portal/survey/{token}"


def _post(client, path, **answer):
    return client.post(path, data={"csrf_token": csrf_from(client, "/portal/track"),
                                   **ANSWER, **answer}, headers={"User-Agent": PHONE_UA})


def _acts() -> int:
    return db.session.scalar(select(func.count()).select_from(CustomerAct))


def _survey() -> SatisfactionSurvey:
    db.session.expire_all()
    return db.session.scalars(select(SatisfactionSurvey)).one()


def test_the_page_shows_the_work_order_and_five_dimensions(client, survey_path):
    page = client.get(survey_path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and _survey().ticket_number in html
    for name in ("timeliness", "attitude", "skill", "result", "fees"):
        assert f'name="{name}"' in html


def test_opening_the_link_does_not_spend_it(client, survey_path):
    client.get(survey_path)
    client.get(survey_path)
    assert db.session.scalars(select(CustomerLink.used_at)).one() is None
    assert _post(client, survey_path).status_code == 200


def test_the_answer_is_stored_with_the_customers_act(client, survey_path):
    response = _post(client, survey_path)
    survey = _survey()
    assert response.status_code == 200
    assert survey.scores() == {"timeliness": 5, "attitude": 4, "skill": 5, "result": 3,
                               "fees": 4}
    assert survey.comment == "很满意"
    act = db.session.get(CustomerAct, survey.act_id)
    assert act.step == "answer_survey" and "MicroMessenger" in act.user_agent


def test_a_link_used_twice_is_refused_and_nothing_changes(client, survey_path):
    _post(client, survey_path)
    second = _post(client, survey_path, timeliness="1", comment="改一下")
    assert second.status_code == 410
    assert (_survey().timeliness, _survey().comment, _acts()) == (5, "很满意", 1)


def test_a_used_link_is_refused_on_opening_too(client, survey_path):
    _post(client, survey_path)
    assert client.get(survey_path).status_code == 410


def test_an_expired_link_is_refused_and_nothing_changes(client, survey_path):
    db.session.execute(update(CustomerLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.get(survey_path).status_code == 410
    assert _post(client, survey_path).status_code == 410
    assert (_survey().answered_at, _acts()) == (None, 0)


def test_an_unknown_link_is_refused(client):
    assert client.get("/portal/survey/not-a-token").status_code == 410


def test_a_link_for_another_step_is_refused(client, survey_path):
    ticket_id = _survey().ticket_id
    address = customer_steps.ask(db.session, get_ticket(db.session, ticket_id),
                                 "confirm_completion")
    db.session.commit()
    foreign = "/portal/survey/" + address.rsplit("/", 1)[1]
    assert client.get(foreign).status_code == 410
    assert _post(client, foreign).status_code == 410
    assert _acts() == 0


def test_a_missing_score_redraws_the_form_and_keeps_the_link(client, survey_path):
    response = _post(client, survey_path, fees="")
    assert response.status_code == 422 and 'name="fees"' in response.get_data(as_text=True)
    assert db.session.scalars(select(CustomerLink.used_at)).one() is None
    assert _acts() == 0


def test_a_score_out_of_range_is_refused(client, survey_path):
    assert _post(client, survey_path, skill="6").status_code == 422
    assert _survey().answered_at is None


def test_without_the_form_token_nothing_is_stored(client, survey_path):
    response = client.post(survey_path, data=ANSWER)
    assert response.status_code in (400, 403) and _acts() == 0


def test_too_many_answers_from_one_address_wait(client, survey_path, settings_changed):
    settings_changed("portal", lookups_per_window=1)
    _post(client, survey_path, fees="")
    assert _post(client, survey_path).status_code == 429
