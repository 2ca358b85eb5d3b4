"""A dispatcher's job from sign-in, with no API call in between, on a desk and on a phone:
the board suggests the nearest technician who holds the certificate the job needs (a nearer
one without it comes after), the map shows the order and the crew, one tap sends the
suggested technician, and the work order names them."""

import pytest
from playwright.sync_api import expect

from aftersales.extensions import db
from aftersales.tickets import services
from tests.e2e.conftest import internal_identifiers, sign_in
from tests.factories import make_outlet, make_user
from tests.tickets.dispatch_helpers import certified_technician, gas_stove_job, working_around


def _crew():
    """Three technicians around a gas-stove job: the nearest lacks the gas certificate, then
    a certified one 3 km away, then a certified one 30 km away."""
    nearest = make_outlet(latitude="39.909000", longitude="116.398000")
    near = make_outlet(latitude="39.930000", longitude="116.420000")
    far = make_outlet(latitude="40.200000", longitude="116.700000")
    working_around(nearest, user=certified_technician(certified=False, outlet_id=nearest.id))
    suggested = working_around(near, user=certified_technician(outlet_id=near.id))
    working_around(far, user=certified_technician(outlet_id=far.id))
    return suggested


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_dispatcher_sends_the_nearest_qualified_technician(screen, request):
    browser_page = request.getfixturevalue(screen)
    ticket = gas_stove_job()
    suggested = _crew()
    make_user("dispatcher", username="liuyang")
    db.session.commit()
    sign_in(browser_page, "liuyang")
    if screen == "phone":
        browser_page.click("#nav-menu > summary")
    browser_page.click("nav.nav a[href='/dispatch']")
    board_map = browser_page.locator("#dispatch-map svg")
    expect(board_map.locator(f"a[href='#ticket-{ticket.id}']")).to_contain_text(ticket.number)
    card = browser_page.locator(f"#ticket-{ticket.id}")
    expect(card.locator(".suggestions li").first).to_contain_text(suggested.display_name)
    expect(card.locator(".suggestions li.unqualified")).to_have_count(1)
    assert internal_identifiers(browser_page) == []
    card.locator(".quick-assign button").click()
    expect(browser_page.locator(".flash")).to_contain_text(ticket.number)
    browser_page.goto(f"/tickets/{ticket.id}")
    technician = browser_page.locator("dt", has_text="维修技师").locator(
        "xpath=following-sibling::dd[1]")
    expect(technician).to_have_text(suggested.display_name)
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= (
        390 if screen == "phone" else 1280)
    db.session.rollback()  # see what the live server committed
    assert services.get_ticket(db.session, ticket.id).technician_id == suggested.id
