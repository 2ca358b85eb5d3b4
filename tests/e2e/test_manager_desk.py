"""A manager's job from sign-in, with no API call in between, on a desk and on a phone: the
compliance dashboard from the menu, a failing clause from the gaps list, one of the records
that fail it, and the page that names that record (a return visit's work order and customer;
a city without service on the coverage page)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from aftersales.core.clock import local_today
from aftersales.extensions import db
from aftersales.visits import services as visit_services
from tests.e2e.conftest import internal_identifiers, shown_text, sign_in
from tests.e2e.test_phone_targets import phone_problems
from tests.evidence.factories import clause_fed_by, snapshot
from tests.factories import make_customer, make_user
from tests.outlets.factories import load_small_map, outlet_at
from tests.visits.factories import make_visit
from tests.walls.test_page_words import ENVIRONMENT_NAMES


def _dissatisfied_customers(count):
    """Return visits scored 1 of 5 in the period, one a day (satisfaction's clause fails on
    them); the first is 李雷's."""
    visits = [make_visit(closed_on=local_today() - timedelta(days=5 + day),
                         customer=make_customer(name="李雷" if day == 0 else f"客户{day}"))
              for day in range(count)]
    for visit in visits:
        visit_services.record_visit(db.session, visit, None, "reached", 1, "等了三天")
    db.session.commit()
    return visits


def _read_as_people_do(browser_page, screen):
    """No internal identifier or setting's name in the text (a manager sets none); on a
    phone, 44 px targets and no sideways scroll."""
    assert internal_identifiers(browser_page) == []
    assert ENVIRONMENT_NAMES.findall(shown_text(browser_page)) == []
    if screen == "phone":
        assert phone_problems(browser_page) == []
    else:
        assert browser_page.evaluate("document.documentElement.scrollWidth") <= 1280


def _watch_api_calls(browser_page) -> list[str]:
    called = []
    browser_page.on("request", lambda req: called.append(req.url) if "/api/" in req.url else None)
    return called


def _failing_records_of(browser_page, screen, provider_key, long_list):
    """Signed in as the manager: the dashboard from the menu, the clause `provider_key`
    feeds from the gaps list, its records, and the list of those that fail its figure (a long
    one arrives folded on a phone, so the page stays short; a short one open)."""
    sign_in(browser_page, "lijing")
    if screen == "phone":
        browser_page.click("#nav-menu > summary")
    browser_page.click("nav.nav a[href='/evidence']")
    expect(browser_page.locator("h1")).to_contain_text("GB/T 27922")
    _read_as_people_do(browser_page, screen)
    number = clause_fed_by(provider_key)
    browser_page.click(f"#gaps a[href='/evidence/clauses/{number}']")
    expect(browser_page.locator("h1")).to_contain_text(number)
    _read_as_people_do(browser_page, screen)
    browser_page.click(f"a[href='/evidence/clauses/{number}/records/{provider_key}']")
    _read_as_people_do(browser_page, screen)
    failing = browser_page.locator("details", has=browser_page.locator("ul.failing")).first
    if screen == "phone" and long_list:
        expect(failing).not_to_have_attribute("open", "")
        failing.locator("summary").click()
    expect(failing).to_have_attribute("open", "")
    return failing


def _landed_on_a_page(browser_page, screen, api_calls):
    assert browser_page.evaluate("document.contentType") == "text/html"
    _read_as_people_do(browser_page, screen)
    assert api_calls == []


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_manager_drills_down_from_a_failing_clause_to_the_return_visit(screen, request):
    browser_page = request.getfixturevalue(screen)
    visit = _dissatisfied_customers(7)[0]
    snapshot()
    make_user("manager", username="lijing")
    api_calls = _watch_api_calls(browser_page)
    failing = _failing_records_of(browser_page, screen, "visits.satisfaction", long_list=True)
    failing.get_by_role("link", name=visit.ticket_number).click()
    main = browser_page.locator("main")
    expect(main).to_contain_text(visit.ticket_number)
    expect(main).to_contain_text("李雷")
    _landed_on_a_page(browser_page, screen, api_calls)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_manager_drills_down_from_the_coverage_clause_to_a_city_without_service(
        screen, request):
    browser_page = request.getfixturevalue(screen)
    load_small_map()
    outlet_at("420100", 30.0, 110.0)  # 甲市 served, 丙市 (a degree away) not
    snapshot()
    make_user("manager", username="lijing")
    api_calls = _watch_api_calls(browser_page)
    failing = _failing_records_of(browser_page, screen, "outlets.city_coverage",
                                  long_list=False)
    failing.get_by_role("link", name="丙市").click()
    row = browser_page.locator("tr:target")
    expect(row).to_be_visible()  # the folded table of every city opens at its row
    expect(row).to_contain_text("丙市")
    _landed_on_a_page(browser_page, screen, api_calls)
