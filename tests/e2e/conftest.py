"""Browser harness: the app on a live local server, driven by Playwright in Debian's
headless chromium (Playwright may not download browsers here). A failing test leaves
a screenshot in test-artifacts/."""

import os
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from aftersales.customers import services as customer_services
from aftersales.extensions import db
from aftersales.tickets import field_work, services
from tests.factories import (
    make_customer,
    make_outlet,
    make_product,
    make_serial,
    make_ticket,
    make_user,
)

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("AFTERSALES_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and browser tests are required")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _page(request, browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server, locale="zh-CN", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(request, browser, live_server):
    yield from _page(request, browser, live_server, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone(request, browser, live_server):
    yield from _page(request, browser, live_server, **PHONE)


def sign_in(page, username, password="correct-horse-9"):
    page.goto("/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def shown_text(page) -> str:
    """The text the page shows people, outside code blocks (which show code on purpose)."""
    return page.locator("body").evaluate(
        "body => { const copy = body.cloneNode(true);"
        " copy.querySelectorAll('script, style, code, pre, textarea').forEach(e => e.remove());"
        " return copy.innerText; }")


def internal_identifiers(page) -> list[str]:
    """Developers' identifiers (`#12`, metric keys, snake_case codes) in the text the page
    shows people: the same patterns the page-words scan uses."""
    from tests.walls.test_page_words import IDENTIFIERS

    return IDENTIFIERS.findall(shown_text(page))


def decoded_width(page, selector):
    """The natural width of an image once the browser has decoded it. `img.decode()` waits
    for the load; a string predicate polled by wait_for_function would need 'unsafe-eval',
    which the app's Content-Security-Policy rightly refuses."""
    return page.locator(selector).evaluate("image => image.decode().then(() => image.naturalWidth)")


def on_site_work_order(technician_username="zhaoqiang"):
    """A work order on site with its technician; one thermostat in the outlet's stock."""
    outlet = make_outlet()
    product = make_product()
    part = customer_services.create_part(db.session, product.id, "P-9", "温控器", "main", 12000)
    field_work.receive_stock(db.session, outlet.id, part.id, 1, None)
    customer = make_customer(name="韩梅梅")
    make_serial(serial="WH0009", product=product, customer=customer)
    dispatcher = make_user("dispatcher")
    technician = make_user("technician", username=technician_username)
    ticket = make_ticket(customer=customer, serial="WH0009", outlet_id=outlet.id)
    for to_state in ("assigned", "dispatched", "on_site"):
        services.move_ticket(db.session, ticket,
                             services.Move(to_state, technician_id=technician.id), dispatcher, True)
    db.session.commit()
    return ticket


def draw_signature(page):
    """A customer's finger across the signature pad."""
    pad_box = page.locator("canvas.signature-pad")
    pad_box.scroll_into_view_if_needed()
    pad = pad_box.bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 60)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(pad["x"] + 20 + step * 20, pad["y"] + 60 + (step % 3) * 15)
    page.mouse.up()


def open_from_menu(page, href):
    """Follow a main-menu entry as its user would: on a phone the menu is behind 菜单."""
    menu_button = page.locator("#nav-menu > summary")
    if menu_button.is_visible():
        menu_button.click()
    page.click(f"nav.nav a[href='{href}']")


def fill_in_a_session(page, topic, start, place, pass_mark):
    """The new-session form filled for two hours from `start`, of technical skills, and sent."""
    page.fill("#f-topic", topic)
    page.select_option("#f-kind", "technical")
    page.fill("#f-starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#f-ends_at", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#f-place", place)
    page.fill("#f-pass_mark", pass_mark)
    page.get_by_role("button", name="创建培训").click()


def run_job(app, job_id: str) -> None:
    """Run one scheduler job now, as the scheduler would."""
    from aftersales import scheduler

    scheduler.run_job(app, next(job for job in scheduler.REGISTRY if job.id == job_id),
                      "e2e:1")


def download_the_built_package(page, app, tmp_path):
    """Run the queued package build as the scheduler would, wait for the page (which follows
    the build) to offer the download, and save it; the saved zip's path."""
    import re

    from playwright.sync_api import expect

    run_job(app, "evidence.build_packages")
    download_link = page.get_by_role("link", name=re.compile("下载"))
    expect(download_link).to_be_visible(timeout=15000)
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / "package.zip"
    download.value.save_as(saved)
    return saved

