import re

from playwright.sync_api import expect

from aftersales.extensions import db
from aftersales.visits.models import ReturnVisit
from tests.e2e.conftest import sign_in
from tests.factories import make_customer, make_user
from tests.visits.factories import make_visit


def stored(visit_id: int) -> ReturnVisit:
    db.session.rollback()  # see what the live server committed
    return db.session.get(ReturnVisit, visit_id)


def test_an_agent_records_a_score_on_a_phone(phone):
    make_user("agent", username="zhangmin")
    visit = make_visit(customer=make_customer(name="李雷", phone="13800001111"))
    sign_in(phone, "zhangmin")
    phone.goto("/visits")
    card = phone.locator(f"#visit-{visit.id}")
    expect(card.get_by_role("link", name="13800001111")).to_have_attribute(
        "href", "tel:13800001111"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    card.locator("label.v-score-5").tap()
    card.locator("textarea[name=comment]").fill("师傅很专业")
    card.locator("button[value=reached]").tap()
    expect(phone.locator(".flash")).to_contain_text(f"WO{visit.ticket_id:08d}")
    expect(phone.locator(f"#visit-{visit.id}")).to_have_count(0)
    assert (stored(visit.id).state, stored(visit.id).satisfaction) == ("done", 5)


def test_a_dissatisfied_score_shows_the_follow_up_work_order(phone):
    make_user("agent", username="zhangmin")
    visit = make_visit()
    sign_in(phone, "zhangmin")
    phone.goto("/visits")
    card = phone.locator(f"#visit-{visit.id}")
    card.locator("label.v-score-1").tap()
    card.locator("textarea[name=comment]").fill("修完三天又坏了")
    card.locator("button[value=reached]").tap()
    expect(phone.locator(".flash")).to_contain_text(f"WO{visit.ticket_id:08d}")
    follow_up = stored(visit.id).follow_up_ticket_id
    assert follow_up is not None
    expect(phone.locator(".flash")).to_contain_text(f"WO{follow_up:08d}")


def test_reached_without_a_score_is_explained_beside_the_scores(phone):
    make_user("agent", username="zhangmin")
    visit = make_visit()
    sign_in(phone, "zhangmin")
    phone.goto("/visits")
    phone.locator(f"#visit-{visit.id} button[value=reached]").tap()
    expect(phone.locator(f"#e-{visit.id}-satisfaction")).to_be_visible()
    assert re.search(r"/visits/\d+/record", phone.url)
    assert stored(visit.id).state == "due"
