"""Frozen means frozen: a package shows the records as they were at the freeze, however
often it is exported and whatever changed since; the changes are listed apart."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import literal, update

from aftersales.calendar import services as calendar_services
from aftersales.evidence.audit import periods, seal
from aftersales.evidence.models import FrozenRow, SpecialItem
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.complaints.test_evidence import answered, received
from tests.evidence.factories import days_ago, make_deduction
from tests.evidence.package_factories import build, freeze, tickets_in_two_outlets

RECORD_FILES = ("clauses/", "samples/", "sampling/")


def contents(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith(RECORD_FILES)}


def rows(path, name) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


@pytest.fixture
def frozen(app):
    tickets = tickets_in_two_outlets()
    return freeze(), tickets


def edit_after_the_freeze(ticket):
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(
        description="冻结后改写的故障描述", resolution_met=False))
    db.session.commit()


def test_two_exports_with_edits_between_have_identical_records_and_sheets(frozen, tmp_path):
    period, tickets = frozen
    first = build(period, tmp_path / "first")
    edit_after_the_freeze(tickets[1])
    db.session.execute(update(Ticket).where(Ticket.id == tickets[2].id).values(
        service_address="冻结后改的地址"))
    db.session.commit()
    second = build(period, tmp_path / "second")
    before, after = contents(first), contents(second)
    assert before.keys() == after.keys()
    assert [name for name in before if before[name] != after[name]] == []


def test_a_period_whose_frozen_rows_were_rewritten_is_not_exported(frozen, tmp_path):
    period, tickets = frozen
    db.session.execute(update(FrozenRow).where(FrozenRow.period_id == period.id,
                                               FrozenRow.record_id == tickets[1].id)
                       .values(values_json=literal("[]")))
    db.session.commit()
    with pytest.raises(seal.SealBroken):
        build(period, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_row_keeps_the_values_behind_its_frozen_verdict(frozen, tmp_path):
    period, tickets = frozen
    passing = tickets[1]  # resolution met: passes the resolution figure
    edit_after_the_freeze(passing)
    records = rows(build(period, tmp_path), "clauses/5.2.4.3/tickets.resolution_sla.csv")
    row = next(r for r in records if r["record_id"] == str(passing.id))
    assert (row["fails_the_metric"], row["resolution_met"]) == ("false", "true")
    assert row["description"] != "冻结后改写的故障描述"


def test_changes_since_the_freeze_are_listed_apart_as_history(frozen, tmp_path):
    period, tickets = frozen
    edit_after_the_freeze(tickets[1])
    changes = rows(build(period, tmp_path), "history/tickets-changes.csv")
    changed = {(row["record_id"], row["column"]): row for row in changes}
    description = changed[(str(tickets[1].id), "description")]
    assert description["now"] == "冻结后改写的故障描述"
    assert description["at_freeze"] != description["now"]
    assert (str(tickets[1].id), "resolution_met") in changed
    assert {row["record_id"] for row in changes} == {str(tickets[1].id)}


def test_a_column_added_after_the_freeze_is_not_a_change(frozen, tmp_path, monkeypatch):
    period, tickets = frozen
    edit_after_the_freeze(tickets[1])
    printed = periods.printed_rows

    def with_a_new_column(record_type, ids):
        columns, stmt = printed(record_type, ids)
        return [*columns, "added_later"], stmt.add_columns(literal("新列"))

    monkeypatch.setattr(periods, "printed_rows", with_a_new_column)
    changes = rows(build(period, tmp_path), "history/tickets-changes.csv")
    assert {row["column"] for row in changes} == {"description", "resolution_met"}


def test_a_metrics_own_figures_are_frozen_beside_its_records(app, tmp_path):
    complaint = answered(received(3), after=timedelta(hours=30))
    records = rows(build(freeze(), tmp_path), "clauses/5.3.2.2/complaints.response_24h.csv")
    row = next(r for r in records if r["record_id"] == str(complaint.id))
    assert (row["fails_the_metric"], row["hours_to_first_response"]) == ("true", "30.0")


def test_an_attestation_is_printed_with_its_statement_and_its_evidence_file(app, tmp_path):
    from aftersales.evidence import services
    from tests.evidence.factories import PDF
    from tests.factories import make_user

    signed = services.sign_attestation(db.session, make_user("manager"), "5.1.7.1",
                                       "访谈十名员工均能复述服务理念", evidence_records="访谈记录",
                                       evidence=("访谈记录.pdf", PDF))
    db.session.commit()
    path = build(freeze(first=30, last=0), tmp_path)
    with zipfile.ZipFile(path) as archive:
        summary = json.loads(archive.read("clauses/5.1.7.1/summary.json"))
        attached = archive.read(f"clauses/5.1.7.1/attestations/{signed.id}-访谈记录.pdf")
    attestation = next(c for c in summary["checks"] if c["type"] == "attestation")
    listed = attestation["attestations"][0]
    assert (listed["statement"], listed["evidence_records"]) == ("访谈十名员工均能复述服务理念",
                                                                 "访谈记录")
    assert "evidence_file_key" not in listed and attached == PDF


def report_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        pdf = archive.read("01-report.pdf")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_reports_special_items_and_calendar_are_those_of_the_freeze(app, tmp_path):
    item = make_deduction(raised_days_ago=5, description="冻结时仍有效的扣分项")
    period = freeze()
    db.session.execute(update(SpecialItem).where(SpecialItem.id == item.id)
                       .values(status="void"))  # voided after the freeze: live, it is gone
    year = days_ago(1).year
    calendar_services.replace_year(db.session, year, [calendar_services.DayEntry(
        days_ago(2), "holiday", "冻结后补录的假日", None)])
    db.session.commit()
    text = report_text(build(period, tmp_path))
    assert "冻结时仍有效的扣分项" in text
    assert f"{year}: entered by the company" not in text  # the schedule entered since
