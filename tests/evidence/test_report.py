"""The bilingual PDF report of an audit evidence package, read back with pypdf and, for the
Chinese title, turned into an image with poppler's pdftoppm."""

import io
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from aftersales.core.clock import utcnow
from aftersales.evidence import services as evidence_services
from aftersales.evidence.audit import report
from aftersales.evidence.compliance import catalog, engine, rubric
from aftersales.extensions import db
from tests.evidence.factories import days_ago, make_deduction, snapshot
from tests.factories import make_user

TITLE_ZH = "售后服务认证审核证据包"
TITLE_EN = "After-sales service certification: audit evidence package"
SEED = 73914025


def facts(first_day=None, last_day=None, **values) -> report.ReportFacts:
    first_day, last_day = first_day or days_ago(30), last_day or days_ago(0)
    return report.ReportFacts(
        first_day=first_day, last_day=last_day,
        frozen_at=utcnow(), frozen_by="王敏", chain_seq=4711, chain_hash="c0ffee" * 10 + "beef",
        seed=values.get("seed", SEED), share=values.get("share", Decimal("0.10")),
        samples=[report.SampleFacts("tickets", "服务工单", "Work orders", 240, 27, 9),
                 report.SampleFacts("complaints", "投诉", "Complaints", 0, 0, 0)],
        generated_at=utcnow(), generated_by="审核员 auditor", public_key_sha256="ab12" * 16,
        sections=report.live_sections(db.session, first_day, last_day),
    )


def render(report_facts=None) -> bytes:
    out = io.BytesIO()
    report.render(db.session, snapshot(), report_facts or facts(), out)
    return out.getvalue()


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def section(pdf: bytes, heading: str, next_heading: str | None = None) -> str:
    """The text of one section, from its English heading to the next one (the cover,
    which lists the headings, left out)."""
    text = "\n".join(pages(pdf)[1:])
    start = text.index(heading)
    end = text.index(next_heading, start) if next_heading else len(text)
    return text[start:end]


def test_the_first_page_carries_the_chinese_and_english_title():
    first = pages(render())[0]
    assert TITLE_ZH in first
    assert TITLE_EN in first
    assert "GB/T 27922" in first


def test_every_catalog_clause_is_in_the_clause_table():
    table = section(render(), "2 Clause table", "3 Gaps and what would close them")
    missing = [c.number for c in catalog.load().clauses if c.number not in table]
    assert missing == []


def test_gaps_are_listed_with_the_most_points_at_stake_first():
    pdf = render()
    shot = engine.latest(db.session)
    rows = [r for r in engine.snapshot_clauses(db.session, shot)
            if r.applicable and r.points > r.obtained]
    expected = [r.clause_number for r in sorted(
        rows, key=lambda r: (-(r.points - r.obtained), r.clause_number))]
    gaps = section(pdf, "3 Gaps and what would close them", "4 Special deductions and bonus")
    listed = list(dict.fromkeys(re.findall(r"\b5\.[123]\.\d\.\d\b", gaps)))
    assert listed == expected


def test_a_special_deduction_raised_in_the_period_is_listed_and_one_outside_is_not():
    make_deduction(raised_days_ago=3, description="期内工单未签字即关闭")
    make_deduction(raised_days_ago=60, description="期外保修卡条款不一致")
    text = section(render(facts(first_day=days_ago(30))), "4 Special deductions and bonus",
                   "7 Sampling method and verification")
    assert "期内工单未签字即关闭" in text
    assert "期外保修卡条款不一致" not in text


def test_a_void_special_deduction_is_left_out():
    item = make_deduction(raised_days_ago=2, description="误登记的扣分")
    evidence_services.set_item_status(db.session, item, "void")
    db.session.commit()
    text = section(render(), "4 Special deductions and bonus", "5 Business calendar")
    assert "误登记的扣分" not in text


def test_the_sampling_section_states_the_seed_and_the_share():
    text = section(render(facts(share=Decimal("0.125"))), "7 Sampling method and verification")
    assert str(SEED) in text
    assert "12.5%" in text
    assert "python verify.py package.zip" in text


def test_the_first_page_as_an_image_shows_the_chinese_title(tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        message = "pdftoppm (poppler-utils) is needed to turn the page into an image"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render())
    subprocess.run(  # noqa: S603 - our own arguments, no shell
        [pdftoppm, "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
         str(tmp_path / "page")], check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    scale = 50 / 72  # pixels per point
    # The band of the Chinese title alone: the first line below the top margin.
    top = int(report.TOP_MARGIN * scale)
    bottom = int((report.TOP_MARGIN + report.TITLE_ZH.leading) * scale)
    band = image.crop((0, top, image.width, bottom))
    dark_columns = {x for x in range(band.width) for y in range(band.height)
                    if band.getpixel((x, y)) < 128}
    # 11 glyphs at 24 pt span some 180 px at 50 dpi; unmapped glyphs leave the band blank.
    assert len(dark_columns) > 100


def test_render_writes_to_the_file_object_it_is_given(tmp_path):
    target = tmp_path / "streamed.pdf"
    with target.open("wb") as out:
        report.render(db.session, snapshot(), facts(), out)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 4


def test_times_are_shown_in_shanghai_time():
    moment = utcnow().replace(hour=20, minute=5, second=0, microsecond=0)
    first = pages(render(replace(facts(), frozen_at=moment)))[0]
    local = (moment + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    assert f"{local} (UTC+8" in first


def test_a_description_longer_than_a_page_flows_on_to_the_next():
    make_deduction(raised_days_ago=2, description="维修记录未签字。" * 480)  # 3,840 characters
    text = section(render(), "4 Special deductions and bonus", "5 Business calendar")
    assert text.count("未签字") > 400


def test_the_calendar_section_lists_a_work_order_counted_on_a_guessed_year():
    from datetime import UTC, date, datetime

    from tests.factories import make_ticket

    received = datetime(2100, 1, 5, 2, 0, tzinfo=UTC)  # a year no schedule will ever know
    ticket = make_ticket(received_at=received, now=received)
    text = section(render(facts(first_day=date(2100, 1, 1), last_day=date(2100, 1, 31))),
                   "5 Business calendar", "6 The rubric applied")
    assert "2100: not entered, Monday to Friday assumed" in text
    assert "1 clock(s) of the period counted over a year without a holiday" in text
    assert ticket.number in text


def test_the_calendar_section_says_when_no_clock_was_guessed():
    text = section(render(), "5 Business calendar", "6 The rubric applied")
    assert "No clock of the period counted over a year without a holiday schedule." in text


def test_the_rubric_section_lists_a_changed_target_with_who_when_and_why():
    rubric.set_target(db.session, None, "visits.satisfaction", 80, reason="首年过渡目标")
    db.session.commit()
    text = section(render(), "6 The rubric applied", "7 Sampling method")
    assert "首年过渡目标" in text and "target" in text


def test_the_rubric_section_prints_the_statement_behind_attested_points():
    manager = make_user("manager")
    evidence_services.sign_attestation(db.session, manager, "5.1.7.1",
                                       "访谈十名员工均能复述服务理念",
                                       evidence_records="访谈记录 2026-11")
    db.session.commit()
    text = section(render(), "6 The rubric applied", "7 Sampling method")
    assert "访谈十名员工均能复述服务理念" in text and "访谈记录 2026-11" in text


def test_the_verification_text_sends_the_auditor_to_an_outside_fingerprint_and_verifier():
    text = section(render(), "7 Sampling method")
    assert "outside the package" in text and "never the verify.py inside it" in text
    assert "must match the one on the cover" not in text
