import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.evidence.factories import make_action, make_document, snapshot
from tests.factories import make_user


def test_the_manager_drills_from_a_failed_clause_to_its_records(page):
    make_user("manager", username="lijing")
    make_action(due_days_ago=6, done_days_ago=8, title="调整派工时段")
    late = make_action(due_days_ago=4, done_days_ago=1, title="增加午间热线排班")
    make_document("service_manual")
    snapshot()
    sign_in(page, "lijing")
    page.goto("/evidence")
    expect(page.locator("#score")).to_contain_text("分")
    row = page.locator("#clause-5\\.1\\.6\\.1")
    expect(row.locator(".badge.ev-partly_met")).to_be_visible()
    row.get_by_role("link", name="5.1.6.1").click()
    expect(page).to_have_url(re.compile(r"/evidence/clauses/5\.1\.6\.1$"))
    page.locator("a[href$='/records/evidence.improvement_actions']").click()
    failing = page.locator("ul.ev-records.failing a")
    expect(failing).to_have_count(1)
    failing.first.click()
    expect(page).to_have_url(re.compile(rf"/evidence/actions\?action_id={late.id}$"))
    expect(page.locator(f"#action-{late.id}")).to_have_class(re.compile("ev-highlight"))
    expect(page.locator(f"#action-{late.id}")).to_contain_text("增加午间热线排班")


def test_the_dashboard_fits_a_phone(phone):
    make_user("manager", username="lijing")
    snapshot()
    sign_in(phone, "lijing")
    phone.goto("/evidence")
    expect(phone.locator("#score")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_manager_uploads_and_approves_a_document(page, tmp_path):
    make_user("manager", username="lijing")
    sign_in(page, "lijing")
    page.goto("/evidence/documents")
    page.select_option("#f-kind", "budget")
    page.fill("#f-title", "2026年售后服务经费预算")
    page.click("#new-document button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("2026年售后服务经费预算")
    section = page.locator("section[id^=doc-]").first
    section.locator("summary").click()
    pdf = tmp_path / "budget.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    section.locator("input[name=version]").fill("V1.0")
    section.locator("input[name=effective_on]").fill("2026-01-01")
    section.locator("input[type=file]").set_input_files(str(pdf))
    section.get_by_role("button", name="上传").click()
    uploaded = page.locator("section[id^=doc-]").first
    expect(uploaded).to_contain_text("待他人批准")  # four eyes: not by the uploader
    expect(uploaded.get_by_role("button", name="批准")).to_have_count(0)
    make_user("manager", username="zhouqiang")
    page.context.clear_cookies()
    sign_in(page, "zhouqiang")
    page.goto("/evidence/documents")
    page.locator("section[id^=doc-]").first.get_by_role("button", name="批准").click()
    expect(page.locator("section[id^=doc-]").first).to_contain_text("现行有效")


def test_a_manager_signs_an_attestation_naming_its_evidence(page):
    make_user("manager", username="lijing")
    sign_in(page, "lijing")
    page.goto("/evidence/attestations")
    page.select_option("#f-clause_number", "5.1.7.1")
    page.fill("#f-statement", "抽查访谈十名员工，均能复述服务理念")
    page.fill("#f-evidence_records", "访谈记录 2026-11 北京网点")
    page.click("#sign button[type=submit]")
    row = page.locator("tr[id^=attestation-]").first
    expect(row).to_contain_text("访谈记录 2026-11 北京网点")


def test_a_target_changed_with_its_reason_is_listed_on_the_dashboard(page):
    make_user("manager", username="lijing")
    sign_in(page, "lijing")
    page.goto("/evidence/rubric")
    form = page.locator("#t-visits\\.satisfaction form")
    form.locator("input[name=target]").fill("80")
    form.locator("button[type=submit]").click()
    expect(page.locator("#t-visits\\.satisfaction .field-error")).to_be_visible()
    form = page.locator("#t-visits\\.satisfaction form")
    form.locator("input[name=target]").fill("80")
    form.locator("input[name=reason]").fill("首年过渡目标")
    form.locator("button[type=submit]").click()
    snapshot()
    page.goto("/evidence")
    expect(page.locator("#departures")).to_contain_text("首年过渡目标")
