"""A manager's job from sign-in, with no API call in between, on a desk and on a phone: the
compliance dashboard from the menu, a failing clause from the gaps list, one of the records
that fail it, and the page that names that record (its work order and customer)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from aftersales.core.clock import local_today
from aftersales.extensions import db
from aftersales.visits import services as visit_services
from tests.e2e.conftest import internal_identifiers, sign_in
from tests.e2e.test_phone_targets import phone_problems
from tests.evidence.factories import clause_fed_by, snapshot
from tests.factories import make_customer, make_user
from tests.visits.factories import make_visit


def _a_dissatisfied_customer():
    """A return visit scored 1 of 5 in the period: satisfaction's clause fails on it."""
    visit = make_visit(closed_on=local_today() - timedelta(days=5),
                       customer=make_customer(name="李雷"))
    visit_services.record_visit(db.session, visit, None, "reached", 1, "等了三天")
    db.session.commit()
    return visit


def _read_as_people_do(browser_page, screen):
    """No internal identifier in the text; on a phone, 44 px targets and no sideways scroll."""
    assert internal_identifiers(browser_page) == []
    if screen == "phone":
        assert phone_problems(browser_page) == []
    else:
        assert browser_page.evaluate("document.documentElement.scrollWidth") <= 1280


def _watch_api_calls(browser_page) -> list[str]:
    called = []
    browser_page.on("request", lambda req: called.append(req.url) if "/api/" in req.url else None)
    return called


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_manager_drills_down_from_a_failing_clause_to_the_record(screen, request):
    browser_page = request.getfixturevalue(screen)
    visit = _a_dissatisfied_customer()
    snapshot()
    make_user("manager", username="lijing")
    api_calls = _watch_api_calls(browser_page)
    sign_in(browser_page, "lijing")
    if screen == "phone":
        browser_page.click("#nav-menu > summary")
    browser_page.click("nav.nav a[href='/evidence']")
    expect(browser_page.locator("h1")).to_contain_text("GB/T 27922")
    _read_as_people_do(browser_page, screen)

    number = clause_fed_by("visits.satisfaction")
    browser_page.click(f"#gaps a[href='/evidence/clauses/{number}']")
    expect(browser_page.locator("h1")).to_contain_text(number)
    _read_as_people_do(browser_page, screen)
    failing = browser_page.locator("details", has=browser_page.locator("ul.failing")).first
    if screen == "phone":  # the long lists arrive folded, the page short
        expect(failing).not_to_have_attribute("open", "")
        failing.locator("summary").click()
    failing.get_by_role("link", name=visit.ticket_number).click()

    expect(browser_page.locator("main")).to_contain_text(visit.ticket_number)
    expect(browser_page.locator("main")).to_contain_text("李雷")
    assert browser_page.evaluate("document.contentType") == "text/html"
    _read_as_people_do(browser_page, screen)
    assert api_calls == []
