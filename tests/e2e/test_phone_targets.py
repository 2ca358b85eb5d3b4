"""On a 390x844 phone every role's pages fit the screen (no sideways scroll) and every
link, button and menu button a finger taps is at least 44x44 px (WCAG 2.5.5)."""

import pytest

from aftersales.core.permissions import ROLES
from tests.calls.factories import make_call
from tests.complaints.factories import make_complaint
from tests.e2e.conftest import sign_in
from tests.factories import make_ticket, make_user
from tests.visits.factories import make_visit

TARGET = 44
# What a finger taps; hidden ones (a closed menu's links, a hidden input) and ones that take
# no taps (a map's marks on a phone, where the list beside the map is the control) are
# skipped below.
TAPPABLE = "a[href], button, summary, input[type=submit]"
SMALL_TARGETS = """([selector, target]) => [...document.querySelectorAll(selector)]
  .filter(element => element.getClientRects().length
    && getComputedStyle(element).visibility !== "hidden"
    && getComputedStyle(element).pointerEvents !== "none")
  .map(element => [element, element.getBoundingClientRect()])
  .filter(([, box]) => box.width < target - 0.5 || box.height < target - 0.5)
  .map(([element, box]) => `${element.tagName.toLowerCase()}`
    + ` "${element.textContent.trim().slice(0, 30)}" `
    + `${element.getAttribute("href") || ""} ${Math.round(box.width)}x${Math.round(box.height)}`)"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def phone_problems(phone) -> list[str]:
    """Targets smaller than 44x44 px on the page, and its overflow sideways."""
    found = phone.evaluate(SMALL_TARGETS, [TAPPABLE, TARGET])
    overflow = phone.evaluate(SIDEWAYS)
    if overflow > 0:
        found.append(f"the page is {overflow}px wider than the screen")
    return found


def _menu_pages(phone) -> list[str]:
    return phone.eval_on_selector_all("nav.nav a[href]",
                                      "links => links.map(link => link.getAttribute('href'))")


def _one_of_each_record():
    """Lists with a row in them: a row's links are the small targets an empty page hides."""
    make_call()
    make_ticket()
    make_complaint()
    make_visit()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_menu_fits_a_phone_with_44px_targets(phone, role):
    _one_of_each_record()
    make_user(role, username=f"phone_{role}")
    sign_in(phone, f"phone_{role}")
    problems = {"/ (menu closed)": phone_problems(phone)}
    phone.click("#nav-menu summary")
    problems["/ (menu open)"] = phone_problems(phone)
    for path in _menu_pages(phone):
        phone.goto(path)
        problems[path] = phone_problems(phone)
    failing = [f"{path}: {problem}" for path, found in problems.items() for problem in found]
    assert not failing, "\n".join(failing)


def test_the_pages_of_single_records_fit_a_phone_with_44px_targets(phone):
    _one_of_each_record()
    make_user("admin", username="phone_admin")
    sign_in(phone, "phone_admin")
    records = []
    for path, number in (("/tickets", "WO"), ("/complaints", "TS"), ("/visits", "WO")):
        phone.goto(path)  # a record's link is named by its number, as people name it
        records.append(phone.locator("main a", has_text=number).first.get_attribute("href"))
    failing = []
    for path in records:
        phone.goto(path)
        failing += [f"{path}: {problem}" for problem in phone_problems(phone)]
    assert not failing, "\n".join(failing)
