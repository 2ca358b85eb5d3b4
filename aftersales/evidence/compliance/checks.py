"""What a clause was checked against, typed: a metric of a module's records, a managed
document in force, or a signed attestation. The engine makes them, a snapshot stores them
as JSON (the field order below is the stored key order), and the dashboard, the clause
page, the rubric and the report read them back with `check_from_json`.

The audit package copies a frozen clause's stored JSON as it is instead (package.py), so
a package built again next year has the same bytes even when this shape has grown."""

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

MetricStatus = Literal["met", "not_met", "no_data"]


@dataclass(frozen=True)
class MetricCheck:
    type: Literal["metric"] = "metric"
    key: str = ""
    target: float = 0.0
    unit: str = ""
    better: str = "higher"
    registered: bool = False  # False: no module provides the metric yet
    value: float | None = None
    limit_hours: float | None = None
    passed: int | None = None
    checked: int | None = None
    record_type: str | None = None
    failing_count: int = 0  # exact; the records themselves are fetched at drill-down
    status: MetricStatus = "no_data"
    fraction: float | None = None  # the share of the clause's points this check keeps
    weights: dict[str, float] | None = None  # of a weighted mean's parts, as counted

    @property
    def evidence_count(self) -> int:
        return self.checked or 0


@dataclass(frozen=True)
class DocumentCheck:
    type: Literal["document"] = "document"
    kind: str = ""
    in_force: list[dict] = field(default_factory=list)  # approved versions in the period
    not_counted: list[dict] = field(default_factory=list)  # approved by their own uploader
    share: float = 0.0  # of the period a version was in force
    lapsed_on: str | None = None
    fraction: float | None = None

    @property
    def evidence_count(self) -> int:
        return len(self.in_force)


@dataclass(frozen=True)
class AttestationCheck:
    type: Literal["attestation"] = "attestation"
    attestations: list[dict] = field(default_factory=list)
    evidence_required: bool = False
    share: float = 0.0
    fraction: float | None = None

    @property
    def evidence_count(self) -> int:
        return len(self.attestations)


Check = MetricCheck | DocumentCheck | AttestationCheck
_KINDS: dict[str, type] = {"metric": MetricCheck, "document": DocumentCheck,
                           "attestation": AttestationCheck}


def check_to_json(check: Check) -> dict:
    stored = dataclasses.asdict(check)
    if isinstance(check, MetricCheck) and check.weights is None:
        del stored["weights"]  # only a weighted metric has them: the others stored as ever
    return stored


def check_from_json(stored: dict) -> Check:
    """A stored check; keys a snapshot written by an older version lacks take their
    defaults, keys this version no longer knows are left aside."""
    kind = _KINDS[stored["type"]]
    known = {f.name for f in dataclasses.fields(kind)}
    values = {name: value for name, value in stored.items() if name in known}
    if kind is not MetricCheck and "share" not in stored:
        # Before shares were kept, a document or an attestation was in force or was not.
        values["share"] = 1.0 if stored.get("in_force") or stored.get("attestations") else 0.0
    return kind(**values)


def checks_of(detail: dict) -> list[Check]:
    return [check_from_json(stored) for stored in detail.get("checks", [])]
