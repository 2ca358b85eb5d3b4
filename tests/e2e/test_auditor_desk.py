"""An auditor's job from sign-in, with no API call in between, on a desk and on a phone:
the compliance pages open read-only (nothing to change, recompute or approve), and the
frozen period's package is exported, downloaded and verified offline."""

import pytest
from playwright.sync_api import expect

from aftersales.evidence.audit import verify_package
from tests.e2e.conftest import download_the_built_package, internal_identifiers, sign_in
from tests.evidence.factories import make_document, snapshot
from tests.evidence.package_factories import freeze, tickets_in_two_outlets
from tests.factories import make_user


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_an_auditor_reads_the_evidence_and_verifies_the_package(screen, request, app,
                                                                 tmp_path):
    browser_page = request.getfixturevalue(screen)
    tickets_in_two_outlets(4)
    make_document()
    snapshot()
    freeze()
    make_user("auditor", username="wuhao")
    sign_in(browser_page, "wuhao")
    if screen == "phone":
        browser_page.click("#nav-menu > summary")
    browser_page.click("nav.nav a[href='/evidence']")
    expect(browser_page.locator("h1")).to_contain_text("GB/T 27922")
    main = browser_page.locator("main")
    expect(main.locator("form[method=post]")).to_have_count(0)  # no recompute, no change
    assert internal_identifiers(browser_page) == []
    browser_page.locator(".tabs a", has_text="受控文件").click()
    expect(main.locator("form[method=post]")).to_have_count(0)  # no upload, no approval
    browser_page.locator(".tabs a", has_text="审核期间").click()
    expect(main.locator("form[action='/evidence/periods']")).to_have_count(0)  # no freezing
    browser_page.get_by_role("button", name="导出证据包").click()
    saved = download_the_built_package(browser_page, app, tmp_path)
    assert verify_package.verify(saved).problems == []
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= (
        390 if screen == "phone" else 1280)
