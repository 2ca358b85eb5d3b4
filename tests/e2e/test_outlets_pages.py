from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import make_user
from tests.outlets.factories import customer_in, load_small_map, outlet_at


def _network():
    load_small_map()
    outlet_at("420100", 30.0, 110.0, 50, code="HB-01", is_24h=True)
    customer_in("丙市", tickets=2)
    make_user("manager", username="lijing")


def test_a_manager_reads_the_coverage_map_and_table(page):
    _network()
    sign_in(page, "lijing")
    page.goto("/outlets/coverage")
    expect(page.locator("#fig-cities-24h strong")).to_have_text("50.0%")
    expect(page.locator("#coverage-map circle.city.c24")).to_have_count(2)
    expect(page.locator("#coverage-map circle.city.gap")).to_have_count(2)
    expect(page.locator("#coverage-map rect.outlet")).to_have_count(1)
    expect(page.locator("table.o-uncovered tbody tr").first).to_contain_text("丙市")
    expect(page.locator("#coverage-table tr[data-code='420200']")).to_contain_text("HB-01")


def test_the_coverage_page_fits_a_phone(phone):
    _network()
    sign_in(phone, "lijing")
    phone.goto("/outlets/coverage")
    expect(phone.locator("#coverage-map")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_what_if_follows_the_radius_asked(page):
    _network()
    sign_in(page, "lijing")
    page.goto("/outlets/coverage")
    page.fill("#f-radius_km", "10")
    page.click("form.row-form button[type=submit]")
    expect(page.locator("table.o-whatif tbody tr").first).to_contain_text("丙市")
