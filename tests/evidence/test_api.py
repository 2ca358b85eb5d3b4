"""/api/v1/evidence through HTTP: every figure for BI tools, the registers, the rubric."""

import io

from sqlalchemy import select

from aftersales.core.models import AuditEntry
from aftersales.extensions import db
from tests.evidence.factories import PDF, make_action, make_document, snapshot
from tests.factories import bearer, make_token, make_user


def headers(role="manager"):
    return bearer(make_token(make_user(role)))


def test_the_score_without_a_snapshot_is_a_404_that_says_how(client):
    response = client.get("/api/v1/evidence/score", headers=headers("auditor"))
    assert response.status_code == 404 and "snapshots" in response.json["message"]


def test_the_score_level_groups_and_gaps_come_from_the_latest_snapshot(client):
    make_document("service_manual")
    shot = snapshot()
    body = client.get("/api/v1/evidence/score", headers=headers("auditor")).json
    assert body["snapshot"]["id"] == shot.id and body["snapshot"]["score"] == float(shot.score)
    assert [g["group"] for g in body["groups"]] == ["5.1", "5.2", "5.3"]
    assert body["gaps"][0]["at_stake"] >= body["gaps"][-1]["at_stake"]
    assert "5.1.4.1" not in {gap["number"] for gap in body["gaps"]}


def test_every_clause_with_its_checks(client):
    make_action(due_days_ago=3, done_days_ago=1)
    snapshot()
    clauses = client.get("/api/v1/evidence/clauses", headers=headers("auditor")).json
    assert len(clauses) == 50
    one = client.get("/api/v1/evidence/clauses/5.1.6.1", headers=headers("auditor")).json
    check = one["checks"][0]
    assert (check["key"], check["status"], check["failing_count"]) == (
        "evidence.improvement_actions", "not_met", 1)


def test_the_records_behind_a_metric(client):
    late = make_action(due_days_ago=3, done_days_ago=1)
    snapshot()
    records = client.get("/api/v1/evidence/clauses/5.1.6.1/records/evidence.improvement_actions",
                         headers=headers("auditor")).json
    assert records == {"record_type": "evidence_improvement_actions", "failing_count": 1,
                       "failing_ids": [late.id], "sample_ids": [late.id]}


def test_a_metric_the_clause_does_not_hold_is_not_found(client):
    snapshot()
    response = client.get("/api/v1/evidence/clauses/5.1.6.1/records/calls.answer_rate",
                          headers=headers("auditor"))
    assert response.status_code == 404


def test_a_manager_recomputes_on_demand(client):
    response = client.post("/api/v1/evidence/snapshots", headers=headers())
    assert response.status_code == 201 and response.json["kind"] == "full"
    assert len(client.get("/api/v1/evidence/snapshots", headers=headers()).json) == 1


def test_an_agent_sees_no_evidence(client):
    assert client.get("/api/v1/evidence/catalog", headers=headers("agent")).status_code == 403


def test_the_catalog_lists_the_50_clauses(client):
    body = client.get("/api/v1/evidence/catalog", headers=headers("auditor")).json
    assert len(body) == 50 and body[0]["number"] == "5.1.1.1" and body[0]["zh"]


def upload_manual(client, manager):
    document = client.post("/api/v1/evidence/documents", headers=manager,
                           json={"kind": "service_manual", "title": "售后服务手册"}).json
    return client.post(
        f"/api/v1/evidence/documents/{document['id']}/versions", headers=manager,
        data={"version": "V1", "effective_on": "2026-01-01",
              "file": (io.BytesIO(PDF), "manual.pdf")},
        content_type="multipart/form-data",
    )


def test_a_document_version_is_uploaded_approved_and_downloaded(client):
    response = upload_manual(client, headers())
    assert response.status_code == 201, response.json
    version = response.json
    assert (version["status"], version["content_type"]) == ("draft", "application/pdf")
    approved = client.post(f"/api/v1/evidence/document-versions/{version['id']}/approval",
                           headers=headers())  # another manager: four eyes
    assert approved.json["status"] == "approved"
    download = client.get(f"/api/v1/evidence/document-versions/{version['id']}/file",
                          headers=headers("auditor"))
    assert download.data == PDF and download.mimetype == "application/pdf"


def test_an_upload_that_is_not_a_document_is_a_422_on_the_file(client):
    manager = headers()
    document = client.post("/api/v1/evidence/documents", headers=manager,
                           json={"kind": "budget", "title": "预算"}).json
    response = client.post(
        f"/api/v1/evidence/documents/{document['id']}/versions", headers=manager,
        data={"version": "V1", "effective_on": "2026-01-01",
              "file": (io.BytesIO(b"#!/bin/sh\nrm -rf /"), "budget.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and list(response.json["errors"]) == ["file"]


def test_unknown_fields_are_rejected(client):
    response = client.post("/api/v1/evidence/improvement-actions", headers=headers(),
                           json={"title": "x", "source": "audit", "owner_name": "王",
                                 "due_on": "2026-12-01", "priority": "high"})
    assert response.status_code == 422 and "priority" in response.json["errors"]


def test_only_a_manager_attests_in_their_own_name(client):
    body = {"clause_number": "5.1.7.1", "statement": "访谈10名员工，均能说明服务理念"}
    assert client.post("/api/v1/evidence/attestations", headers=headers("admin"),
                       json=body).status_code == 403
    manager = make_user("manager", username="lijing")
    response = client.post("/api/v1/evidence/attestations", json=body,
                           headers=bearer(make_token(manager)))
    assert response.status_code == 201
    assert (response.json["signed_by_id"], response.json["signer_name"]) == (
        manager.id, manager.display_name)


def test_an_attestation_for_a_metric_clause_is_a_422(client):
    response = client.post("/api/v1/evidence/attestations", headers=headers(),
                           json={"clause_number": "5.3.1.1", "statement": "好"})
    assert response.status_code == 422 and "clause_number" in response.json["errors"]


def test_a_rubric_change_is_in_the_history_and_the_audit_trail(client):
    response = client.put("/api/v1/evidence/rubric/clauses/5.2.5.5", headers=headers(),
                          json={"points": 1, "applicable": False,
                                "na_reason": "非贸易型企业", "reason": "6.2.2"})
    assert response.status_code == 200
    rule = next(c for c in response.json["clauses"] if c["number"] == "5.2.5.5")
    assert (rule["applicable"], rule["na_reason"]) == (False, "非贸易型企业")
    history = client.get("/api/v1/evidence/rubric/history", headers=headers("auditor")).json
    assert history[0]["subject"] == "5.2.5.5 applicable"
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.record_type == "evidence_rubric_clauses"))
    assert entry.action == "rubric:clause" and entry.record_id == "5.2.5.5"


def test_the_uploader_cannot_approve_their_own_version(client):
    manager = headers()
    version = upload_manual(client, manager).json
    refused = client.post(f"/api/v1/evidence/document-versions/{version['id']}/approval",
                          headers=manager)
    assert refused.status_code == 403 and "上传人" in refused.json["message"]


def test_a_target_change_applies_to_the_next_snapshot(client):
    response = client.put("/api/v1/evidence/rubric/targets/visits.satisfaction",
                          headers=headers(), json={"target": 85, "reason": "行业均值调整"})
    assert response.json["targets"]["visits.satisfaction"] == 85


def test_a_target_change_without_a_reason_is_refused_on_the_reason(client):
    response = client.put("/api/v1/evidence/rubric/targets/visits.satisfaction",
                          headers=headers(), json={"target": 60})
    assert response.status_code == 422 and "reason" in str(response.json)


def test_the_time_limit_is_a_rubric_target_listed_as_a_departure(client):
    response = client.put("/api/v1/evidence/rubric/targets/complaints.response_24h",
                          headers=headers(), json={"target": 1, "limit_hours": 48,
                                                   "reason": "试行期"})
    assert response.json["limits"]["complaints.response_24h"] == 48
    departure = next(d for d in response.json["departures"]
                     if d["number_or_key"] == "complaints.response_24h")
    assert (departure["what"], departure["default"], departure["current"],
            departure["reason"]) == ("limit", "24", "48", "试行期")


def test_an_auditor_may_not_edit_the_rubric(client):
    response = client.put("/api/v1/evidence/rubric/targets/visits.satisfaction",
                          headers=headers("auditor"), json={"target": 1})
    assert response.status_code == 403


def test_a_special_bonus_needs_a_strength_as_basis(client):
    response = client.post("/api/v1/evidence/special-items", headers=headers(),
                           json={"kind": "bonus", "basis": "law", "description": "x"})
    assert response.status_code == 422 and "basis" in response.json["errors"]


def test_a_manager_scoped_to_one_outlet_sees_no_enterprise_evidence(client):
    from tests.factories import make_outlet

    scoped = make_user("manager", outlet_id=make_outlet().id)
    response = client.get("/api/v1/evidence/catalog", headers=bearer(make_token(scoped)))
    assert response.status_code == 403 and "企业" in response.json["message"]
