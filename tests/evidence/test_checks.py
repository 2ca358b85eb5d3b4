"""Checks are typed between the engine and its readers, and stored as they always were."""

import json

from aftersales.evidence.compliance.checks import (
    AttestationCheck,
    DocumentCheck,
    MetricCheck,
    check_from_json,
    check_to_json,
)

STORED_METRIC = (
    '{"type": "metric", "key": "calls.answer_rate", "target": 0.9, "unit": "ratio", '
    '"better": "higher", "registered": true, "value": 0.8, "limit_hours": null, "passed": 8, '
    '"checked": 10, "record_type": "calls", "failing_count": 2, "status": "not_met", '
    '"fraction": 0.0}'
)


def test_a_stored_check_reads_back_and_is_written_in_the_same_key_order():
    check = check_from_json(json.loads(STORED_METRIC))
    assert isinstance(check, MetricCheck) and check.failing_count == 2
    assert json.dumps(check_to_json(check)) == STORED_METRIC


def test_a_metric_stored_with_its_record_ids_reads_back_without_them():
    older = json.loads(STORED_METRIC) | {"failing_ids": [3, 4], "sample_ids": [1]}
    assert check_from_json(older) == check_from_json(json.loads(STORED_METRIC))


def test_a_check_from_an_older_snapshot_reads_with_defaults_and_keeps_its_meaning():
    document = check_from_json({"type": "document", "kind": "manual",
                                "in_force": [{"version_id": 1}], "retired_key": 1})
    attestation = check_from_json({"type": "attestation", "attestations": []})
    assert isinstance(document, DocumentCheck) and document.share == 1.0
    assert isinstance(attestation, AttestationCheck) and attestation.share == 0.0


def test_each_kind_counts_its_own_evidence():
    assert MetricCheck(checked=12).evidence_count == 12
    assert DocumentCheck(in_force=[{}, {}]).evidence_count == 2
    assert AttestationCheck(attestations=[{}]).evidence_count == 1
