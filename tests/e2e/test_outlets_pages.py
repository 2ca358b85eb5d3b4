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
    expect(page.locator("#coverage-table")).to_be_hidden()  # folded: hundreds of rows
    page.locator("#all-cities summary").click()
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


def test_a_manager_opens_a_contracted_outlet_with_its_agreement(page, tmp_path):
    load_small_map()
    make_user("manager", username="lijing")
    agreement = tmp_path / "协议.pdf"
    agreement.write_bytes(b"%PDF-1.4\n%%EOF\n")
    sign_in(page, "lijing")
    page.goto("/outlets")
    page.get_by_role("link", name="新建网点").click()
    for name, value in (("code", "HB-07"), ("name", "乙市授权网点"), ("province", "湖北省"),
                        ("city", "乙市"), ("region_code", "420200"), ("address", "人民路7号"),
                        ("latitude", "30.45"), ("longitude", "110.0"),
                        ("service_radius_km", "60"), ("staff_count", "6")):
        page.fill(f"#f-{name}", value)
    page.select_option("#f-kind", "contracted")
    page.fill("#f-agreement_starts_on", "2026-01-01")
    page.fill("#f-agreement_ends_on", "2030-12-31")
    page.set_input_files("#f-agreement", str(agreement))
    page.click("form.o-form button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("HB-07")
    expect(page.get_by_role("link", name="协议.pdf")).to_be_visible()
    page.goto("/outlets")
    expect(page.locator("table.o-list")).to_contain_text("有效至 2030-12-31")


def test_outlet_performance_on_a_phone(phone):
    _network()
    sign_in(phone, "lijing")
    phone.goto("/outlets/performance")
    expect(phone.locator("table.o-performance")).to_contain_text("HB-01")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
