"""The satisfaction survey on a customer's phone (390 px): every score a thumb-sized
target, no sideways scroll; answered once, refused the second time; and the answer on
the work order's page for the staff."""

from datetime import timedelta

from playwright.sync_api import expect

from aftersales.core.clock import utcnow
from tests.e2e.conftest import sign_in
from tests.factories import make_user
from tests.visits.factories import make_closed_ticket, sent_surveys

DIMENSIONS = ("timeliness", "attitude", "skill", "result", "fees")


def _survey_path(settings_changed):
    settings_changed("visits", survey_share=1.0)
    ticket = make_closed_ticket(utcnow() - timedelta(hours=5))
    (token,) = sent_surveys(utcnow())
    return ticket, f"/portal/survey/{token}"


def test_a_customer_answers_the_survey_with_one_thumb(phone, settings_changed):
    ticket, path = _survey_path(settings_changed)
    phone.goto(path)
    phone.goto(path)  # opening it again (a chat app's preview) spends nothing
    expect(phone.locator("#survey")).to_contain_text(ticket.number)
    for name in DIMENSIONS:
        choice = phone.locator(f"#d-{name} .rating-choice span").nth(4)
        box = choice.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        choice.click()
    phone.fill("#f-comment", "师傅很准时")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator("#survey button[type=submit]").click()
    expect(phone.locator("#survey-thanks")).to_contain_text(ticket.number)
    phone.goto(path)
    expect(phone.locator("#refused")).to_be_visible()


def test_a_missing_score_is_named_and_the_others_kept(phone, settings_changed):
    _ticket, path = _survey_path(settings_changed)
    phone.goto(path)
    for name in DIMENSIONS[:-1]:
        phone.locator(f"#d-{name} .rating-choice span").nth(3).click()
    phone.locator("#survey button[type=submit]").click()
    expect(phone.locator("#d-fees .field-error")).to_be_visible()
    expect(phone.locator("#d-timeliness input[value='4']")).to_be_checked()


def test_the_staff_see_the_answer_on_the_work_order(phone, page, settings_changed):
    ticket, path = _survey_path(settings_changed)
    phone.goto(path)
    for name in DIMENSIONS:
        phone.locator(f"#d-{name} .rating-choice span").nth(2).click()
    phone.locator("#survey button[type=submit]").click()
    expect(phone.locator("#survey-thanks")).to_be_visible()
    make_user("dispatcher", username="wangfang")
    sign_in(page, "wangfang")
    page.goto(f"/tickets/{ticket.id}")
    expect(page.locator("#satisfaction-survey")).to_contain_text("3 / 5")
