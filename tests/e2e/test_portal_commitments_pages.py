"""A customer reads the company's commitments on their phone: the versions in force open
from the list; a staff-only document is not there."""

from playwright.sync_api import expect

from tests.evidence.factories import make_document


def test_a_customer_opens_the_commitments_in_force_on_a_phone(phone):
    _document, version = make_document(kind="service_commitments", title="服务承诺书")
    make_document(kind="budget", title="售后服务经费预算")
    phone.goto("/portal/commitments")
    expect(phone.locator("nav.nav")).to_have_count(0)
    link = phone.locator(f"#commitment-{version.id}")
    expect(link).to_contain_text("服务承诺书")
    expect(phone.locator("main")).not_to_contain_text("售后服务经费预算")
    assert link.bounding_box()["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    response = phone.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
