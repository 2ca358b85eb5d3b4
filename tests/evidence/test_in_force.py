"""Documents and attestations earn points for the share of the period they were really in
force: from their approval or signature (not a typed day), approved by a second person."""

import json
from datetime import datetime, time, timedelta

import pytest

from aftersales.core.clock import DEFAULT_ZONE
from aftersales.core.errors import PermissionDenied
from aftersales.evidence import services
from aftersales.evidence.compliance import engine, rubric
from aftersales.extensions import db
from tests.evidence.factories import days_ago, make_document, snapshot
from tests.factories import make_user

PERIOD_DAYS = 90  # the default rolling period ending today


def clause(shot, number):
    row = engine.snapshot_clause(db.session, shot, number)
    return row, json.loads(row.detail_json)["checks"]


def document_check(shot, number="5.1.4.1"):
    row, checks = clause(shot, number)
    return row, next(check for check in checks if check["type"] == "document")


def test_a_document_approved_on_the_last_day_earns_one_day_not_the_period():
    # The last-day rule gave 3 points; in force for today only: 3 x 1/90.
    make_document("service_manual", effective_days_ago=200, approved_days_ago=0)
    row, check = document_check(snapshot())
    assert check["share"] == round(1 / PERIOD_DAYS, 6)
    assert (row.status, float(row.obtained)) == ("partly_met", round(3 / PERIOD_DAYS, 2))


def test_a_backdated_effective_day_counts_from_the_approval_and_is_shown():
    # Typed as effective 200 days ago, approved 44 days ago: in force on 45 of 90 days.
    make_document("service_manual", effective_days_ago=200, approved_days_ago=44)
    row, check = document_check(snapshot())
    assert check["share"] == 0.5 and float(row.obtained) == 1.5
    assert check["in_force"][0]["backdated"] is True


def test_a_version_approved_by_its_uploader_does_not_count():
    uploader = make_user("manager")
    _, version = make_document("service_manual", actor=uploader, approve=False)
    with pytest.raises(PermissionDenied):
        services.approve_version(db.session, uploader, version)
    # A row approved that way before the rule existed is listed but earns nothing.
    version.status, version.approved_by_id = "approved", uploader.id
    version.approved_at = datetime.combine(days_ago(200), time(), DEFAULT_ZONE)
    db.session.commit()
    row, check = document_check(snapshot())
    assert float(row.obtained) == 0 and check["in_force"] == []
    assert check["not_counted"][0]["why"] == "approved_by_uploader"


def test_a_withdrawn_version_counted_until_its_withdrawal():
    # In force from the period's first day until withdrawn at the start of the day 29 days
    # ago: the 60 days from 89 to 30 days ago.
    _, version = make_document("service_manual", effective_days_ago=200)
    services.withdraw_version(db.session, version)
    version.withdrawn_at = datetime.combine(days_ago(29), time(), DEFAULT_ZONE)
    db.session.commit()
    _, check = document_check(snapshot())
    assert check["share"] == round(60 / PERIOD_DAYS, 6)


def attest(number, signed_days_ago, records="", actor=None):
    actor = actor or make_user("manager")
    attestation = services.sign_attestation(db.session, actor, number, "访谈 10 名员工",
                                            evidence_records=records,
                                            signed_on=days_ago(signed_days_ago))
    attestation.signed_at = datetime.combine(days_ago(signed_days_ago), time(), DEFAULT_ZONE)
    db.session.commit()
    return attestation


def attestation_check(shot, number="5.1.7.1"):
    row, checks = clause(shot, number)
    return row, next(check for check in checks if check["type"] == "attestation")


def test_an_attestation_counts_from_its_signature_not_the_day_typed_on_it():
    # Typed as signed 200 days ago, signed now: at most what is left of today, of 90 days.
    attestation = services.sign_attestation(db.session, make_user("manager"), "5.1.7.1",
                                            "访谈", signed_on=days_ago(200))
    db.session.commit()
    row, check = attestation_check(snapshot())
    assert 0 < check["share"] <= round(1 / PERIOD_DAYS, 6) and float(row.obtained) < 0.03
    assert check["attestations"][0]["backdated"] is True
    assert check["attestations"][0]["statement"] == attestation.statement


def test_an_attestation_carries_its_statement_and_evidence_into_the_snapshot():
    attest("5.1.7.1", 200, records="访谈记录 2026-06 北京网点 5 人")
    row, check = attestation_check(snapshot())
    assert float(row.obtained) == 2
    signed = check["attestations"][0]
    assert (signed["statement"], signed["evidence_records"], signed["has_evidence"]) == (
        "访谈 10 名员工", "访谈记录 2026-06 北京网点 5 人", True)


def test_where_the_rubric_requires_evidence_a_bare_statement_earns_nothing():
    rubric.set_clause(db.session, None, "5.1.7.1", 2, True, reason="审核机构要求附证据",
                      evidence_required=True)
    attest("5.1.7.1", 200)
    row, check = attestation_check(snapshot())
    assert float(row.obtained) == 0 and check["evidence_required"] is True
    # One with evidence, signed at the start of the day 44 days ago: 45 of 90 days.
    attest("5.1.7.1", 44, records="访谈记录")
    row, _ = attestation_check(snapshot())
    assert float(row.obtained) == 1.0


def test_an_attestation_with_a_file_keeps_the_file_checked_by_content():
    from tests.evidence.factories import PDF

    attestation = services.sign_attestation(db.session, make_user("manager"), "5.1.7.1",
                                            "访谈", evidence=("notes.pdf", PDF))
    assert attestation.evidence_content_type == "application/pdf"
    assert attestation.has_evidence


def test_rubric_departures_list_every_change_with_who_when_and_why():
    actor = make_user("manager")
    rubric.set_target(db.session, actor, "visits.satisfaction", 80, reason="首年过渡")
    rubric.set_clause(db.session, actor, "5.1.4.1", 5, True, reason="手册权重提高")
    db.session.commit()
    found = {(d.number_or_key, d.what): d for d in rubric.departures(db.session)}
    satisfaction = found[("visits.satisfaction", "target")]
    assert (satisfaction.default, satisfaction.current, satisfaction.reason,
            satisfaction.by) == ("90", "80", "首年过渡", actor.display_name)
    assert found[("5.1.4.1", "points")].current == "5"
    assert satisfaction.at is not None and satisfaction.at > datetime.now(DEFAULT_ZONE) - \
        timedelta(minutes=5)
