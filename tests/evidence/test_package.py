import base64
import csv
import io
import json
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest

from aftersales.evidence import settings as evidence_settings
from aftersales.evidence.audit import package, verify_package
from tests.evidence.package_factories import (
    build,
    closed_ticket,
    freeze,
    rewrite,
    tickets_in_two_outlets,
)
from tests.factories import make_outlet


@pytest.fixture
def built(app, tmp_path):
    tickets_in_two_outlets()
    return build(freeze(), tmp_path)


def _rows(path, name):
    with zipfile.ZipFile(path) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_an_exported_package_verifies(built):
    result = verify_package.verify(built)
    assert result.problems == []
    assert result.files_checked > 50


def test_one_changed_byte_is_caught_and_named(built, tmp_path):
    def flip(name, content):
        return content[:-2] + bytes([content[-2] ^ 1]) + content[-1:] if name == \
            "clauses/5.2.4.3/tickets.resolution_sla.csv" else content

    result = verify_package.verify(rewrite(built, tmp_path / "x.zip", flip))
    assert [p.split(":")[0] for p in result.problems] == [
        "clauses/5.2.4.3/tickets.resolution_sla.csv"]


def test_a_deleted_file_is_caught_and_named(built, tmp_path):
    result = verify_package.verify(rewrite(
        built, tmp_path / "x.zip",
        lambda name, content: None if name == "01-report.pdf" else content,
    ))
    assert result.problems == ["01-report.pdf: missing"]


def test_an_added_file_is_caught_and_named(built, tmp_path):
    def add(name, content):
        return content

    changed = rewrite(built, tmp_path / "x.zip", add)
    with zipfile.ZipFile(changed, "a") as archive:
        archive.writestr("clauses/5.2.4.3/extra.csv", "record_id\n1\n")
    assert verify_package.verify(changed).problems == [
        "clauses/5.2.4.3/extra.csv: added (not in the manifest)"]


def test_a_swapped_signature_is_caught(built, tmp_path):
    def swap(name, content):
        if name != "manifest.sig":
            return content
        raw = bytearray(base64.b64decode(content))
        raw[0] ^= 0xFF
        return base64.b64encode(bytes(raw))

    result = verify_package.verify(rewrite(built, tmp_path / "x.zip", swap))
    assert result.problems == [
        "manifest.sig: the signature does not match manifest.json and public_key.pem"]


def test_a_manifest_rewritten_to_match_a_forged_file_fails_the_signature(built, tmp_path):
    def forge(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["period"]["score"] = "100.00"
        return json.dumps(manifest).encode()

    problems = verify_package.verify(rewrite(built, tmp_path / "x.zip", forge)).problems
    assert problems[0].startswith("manifest.sig: the signature does not match")


def test_the_sample_redraws_from_the_seed(built):
    manifest = json.loads(zipfile.ZipFile(built).read("manifest.json"))
    tickets = next(k for k in manifest["sampling"]["kinds"] if k["record_type"] == "tickets")
    sampled = {int(row["record_id"]) for row in _rows(built, tickets["sample_file"])}
    with zipfile.ZipFile(built) as archive:
        again = verify_package.redraw(archive, manifest["sampling"]["seed"],
                                      Decimal(manifest["sampling"]["share"]),
                                      tickets["population_file"])
    assert sampled == again
    assert len(sampled) == 2  # two outlets, one month: ceil(10 % of 6) from each


def test_a_second_export_of_the_period_draws_the_same_sample(built, tmp_path):
    again = build(package.periods.recent(package.db.session)[0], tmp_path / "again")
    assert _rows(again, "sampling/tickets-sample.csv") == _rows(
        built, "sampling/tickets-sample.csv")


def test_sheets_drawn_by_several_processes_are_the_same_bytes(built, tmp_path, monkeypatch):
    one_process = evidence_settings.current()
    monkeypatch.setattr(evidence_settings, "current",
                        lambda: replace(one_process, sheet_workers=2))
    again = build(package.periods.recent(package.db.session)[0], tmp_path / "again")
    with zipfile.ZipFile(built) as first, zipfile.ZipFile(again) as second:
        sheets = [name for name in first.namelist() if name.startswith("samples/")]
        assert sheets and all(first.read(name) == second.read(name) for name in sheets)


def test_each_sampled_work_order_has_its_record_sheet(built):
    with zipfile.ZipFile(built) as archive:
        names = set(archive.namelist())
    for row in _rows(built, "sampling/tickets-sample.csv"):
        assert row["sheet"] in names


def test_the_records_behind_a_metric_are_listed_with_their_verdict(built):
    rows = _rows(built, "clauses/5.2.4.3/tickets.resolution_sla.csv")
    assert len(rows) == 12
    assert sum(row["fails_the_metric"] == "true" for row in rows) == 4


def test_an_interrupted_export_leaves_no_package(app, tmp_path):
    tickets_in_two_outlets(4)
    frozen = freeze()

    def interrupt(done, total):
        if done > 3:
            raise package.Cancelled

    with pytest.raises(package.Cancelled):
        build(frozen, tmp_path, progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_the_verifier_inside_the_package_runs_with_nothing_but_the_package(built, tmp_path):
    """As an auditor runs it: unpacked, with Python and `cryptography` but no aftersales
    (-S skips site-packages' .pth files, so our editable install is out of reach)."""
    import os
    import pathlib
    import subprocess
    import sys

    import cryptography

    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(built).extractall(unpacked)
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(cryptography.__file__).parents[1])}
    key = verify_package.verify(built).fingerprint
    run = subprocess.run([sys.executable, "-S", "verify.py", str(built),  # noqa: S603
                          "--key-fingerprint", key], cwd=unpacked,
                         env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "\nOK " in run.stdout
    probe = subprocess.run([sys.executable, "-S", "-c", "import aftersales"], cwd=tmp_path,
                           env=env, capture_output=True, check=False)
    assert probe.returncode != 0  # the check above really ran without our code


def test_a_sampled_complaint_comes_with_its_closed_loop_sheet(app, tmp_path):
    from datetime import timedelta

    from sqlalchemy import update

    from aftersales.complaints.models import Complaint
    from aftersales.core.clock import utcnow
    from aftersales.extensions import db
    from tests.complaints.factories import make_complaint

    complaint = make_complaint()
    db.session.execute(update(Complaint).where(Complaint.id == complaint.id).values(
        state="closed", closed_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    built = build(freeze(), tmp_path)
    sheet = f"samples/complaints/complaints-{complaint.id}.pdf"
    assert _rows(built, "sampling/complaints-sample.csv") == [
        {"record_id": str(complaint.id), "sheet": sheet}]
    with zipfile.ZipFile(built) as archive:
        assert archive.read(sheet)[:5] == b"%PDF-"


def test_a_file_stored_twice_is_caught_even_with_the_right_content(built, tmp_path):
    changed = rewrite(built, tmp_path / "x.zip", lambda name, content: content)
    with zipfile.ZipFile(built) as original:
        readme = original.read("00-README.txt")
    with pytest.warns(UserWarning, match="Duplicate name"), \
            zipfile.ZipFile(changed, "a") as archive:
        archive.writestr("00-README.txt", readme)
    assert verify_package.verify(changed).problems == ["00-README.txt: stored more than once"]


def test_the_export_takes_as_many_statements_for_twelve_sheets_as_for_two(app, tmp_path,
                                                                          count_queries):
    outlet = make_outlet()

    def statements_to_export(sheets: int, days: int) -> int:
        sampled = [closed_ticket(outlet, days=days) for _ in range(sheets)]
        frozen = freeze(first=days + 2, last=days - 1, share=Decimal(1))
        with count_queries() as statements:
            built = build(frozen, tmp_path / str(days))
        names = zipfile.ZipFile(built).namelist()
        assert sum(f"-{ticket.id}.pdf" in name for ticket in sampled for name in names) == sheets
        return len(statements)

    statements_to_export(1, days=60)  # the first export reads once what later ones reuse
    assert statements_to_export(2, days=40) == statements_to_export(12, days=5)
