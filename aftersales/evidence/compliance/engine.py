"""Recompute clauses and store a snapshot. Dashboards read snapshots only.

A full snapshot evaluates every provider once over the rolling period; a refresh
recomputes only the clauses whose sources changed since the latest snapshot (the audit
trail says which tables changed: every change of a record writes an entry naming its
table) and carries the others over.
"""

import json
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from aftersales.core.clock import DEFAULT_ZONE, to_zone, utcnow
from aftersales.core.models import AuditEntry
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance import registry, rubric, scoring
from aftersales.evidence.compliance.checks import (
    AttestationCheck,
    Check,
    DocumentCheck,
    MetricCheck,
    check_to_json,
)
from aftersales.evidence.compliance.registry import Measure, Period
from aftersales.evidence.models import (
    Attestation,
    DocumentVersion,
    ManagedDocument,
    Snapshot,
    SnapshotClause,
    SpecialItem,
)

FAILING_IDS_LISTED = 200  # record ids a drill-down lists per metric (the count is exact)
SAMPLE_IDS_LISTED = 20
DOCUMENT_TABLES = frozenset({"evidence_documents", "evidence_document_versions"})
ATTESTATION_TABLES = frozenset({"evidence_attestations"})
SCORE_TABLES = frozenset({"evidence_special_items"})
RUBRIC_TABLES = frozenset(
    {"evidence_rubric_clauses", "evidence_rubric_targets", "evidence_rubric_settings"}
)


def _ids(session: Session, stmt, limit: int) -> list[int]:
    return [] if stmt is None else list(session.scalars(stmt.limit(limit)))


def evaluate_metric(session: Session, key: str, period: Period, target: float,
                    on_measure=None) -> MetricCheck:
    spec = catalog_module.load().providers[key]
    provider = registry.registered().get(key)
    metric = MetricCheck(
        key=key, target=target, unit=spec.unit, better=spec.better,
        registered=provider is not None,
        limit_hours=period.limit_hours(key) if spec.limit_hours is not None else None,
        weights=period.weights(key) if spec.weights is not None else None,
    )
    if provider is None:
        return metric
    measure: Measure = provider.func(session, period, target)
    if on_measure is not None:
        on_measure(key, provider, measure)
    metric = replace(metric, value=measure.value, passed=measure.passed,
                     checked=measure.checked, record_type=provider.record_type)
    if measure.value is None:
        return metric
    met = measure.value >= target if spec.better == "higher" else measure.value <= target
    return replace(metric, status="met" if met else "not_met",
                   failing_count=_failing_count(session, measure))


@dataclass(frozen=True)
class DrillDown:
    """The records behind one metric of a snapshot, counted again when a clause is opened
    (a snapshot keeps figures, not record lists: fetching them for every metric on every
    recompute cost more than the figures)."""

    failing_ids: list[int]
    failing_count: int
    sample_ids: list[int]


def drill_down(session: Session, period_from, period_to, computed_at: datetime,
               keys) -> dict[str, DrillDown]:
    """Per metric key: the first failing records and a sample of those behind the figure,
    over the snapshot's period at the moment it was computed, under the rubric in force."""
    rules = rubric.current(session)
    period = Period(period_from, period_to)
    period.memo.update(now=computed_at, limits=rules.limits, weights=rules.weights)
    providers = registry.registered()
    found = {}
    for key in keys:
        if key not in providers:
            continue
        measure = providers[key].func(session, period, rules.targets[key])
        if measure.value is None:
            continue
        found[key] = DrillDown(
            _ids(session, measure.failing, FAILING_IDS_LISTED),
            _failing_count(session, measure),
            _ids(session, measure.records, SAMPLE_IDS_LISTED),
        )
    return found


def _failing_count(session: Session, measure: Measure) -> int:
    if measure.failing is None:
        return 0
    if measure.checked is not None and measure.passed is not None:
        return measure.checked - measure.passed
    return session.scalar(select(func.count()).select_from(measure.failing.subquery()))


def _metric_check(metric: MetricCheck, sample: bool) -> scoring.CheckShare:
    """A metric weighs on its clause as a sample of records (a sample-evidenced clause's
    record counts) or as a qualitative check (met or not)."""
    if not metric.registered:
        # no module provides it yet: a gap, not an exemption
        return scoring.CheckShare(scoring.QUALITATIVE, 0.0)
    if metric.status == "no_data":
        return scoring.CheckShare(scoring.QUALITATIVE, None)
    if sample and metric.checked:
        return scoring.CheckShare(scoring.SAMPLED, metric.passed / metric.checked,
                                  metric.passed, metric.checked)
    return scoring.CheckShare(scoring.QUALITATIVE, 1.0 if metric.status == "met" else 0.0)


def _day_start(day) -> datetime:
    return datetime.combine(day, datetime.min.time(), DEFAULT_ZONE)


def _covered_share(spans: list[tuple[datetime, datetime]], period: Period) -> float:
    """The share of the period covered by the union of the spans."""
    start, end = period.start, period.end
    covered, reached = timedelta(), start
    for first, last in sorted(spans):
        first, last = max(first, reached), min(last, end)
        if last > first:
            covered += last - first
            reached = last
    return round(covered / (end - start), 6)


def _version_span(version: DocumentVersion) -> tuple[datetime, datetime]:
    """A version is in force from its approval (or its effective day, if later) until the
    end of its review day or its withdrawal, whichever comes first."""
    first = max(version.approved_at, _day_start(version.effective_on))
    last = _day_start(version.review_on + timedelta(days=1)) if version.review_on else FAR
    if version.withdrawn_at is not None:
        last = min(last, version.withdrawn_at)
    return first, last


FAR = datetime(9999, 1, 1, tzinfo=DEFAULT_ZONE)


def documents_in_force(session: Session, period: Period) -> dict[str, dict]:
    """Per document kind: the approved versions in force during some of the period, the
    share of the period one was in force, and the versions that do not count (approved by
    the person who uploaded them: evidence needs a second pair of eyes). One query."""
    rows = session.execute(
        select(ManagedDocument.kind, ManagedDocument.title, DocumentVersion)
        .join(DocumentVersion, DocumentVersion.document_id == ManagedDocument.id)
        .where(
            DocumentVersion.approved_at.is_not(None), DocumentVersion.approved_at < period.end,
            DocumentVersion.status.in_(("approved", "withdrawn")),
            or_(DocumentVersion.review_on.is_(None),
                DocumentVersion.review_on >= period.first_day),
            or_(DocumentVersion.withdrawn_at.is_(None),
                DocumentVersion.withdrawn_at > period.start),
        )
        .order_by(DocumentVersion.id)
    )
    found: dict[str, dict] = {}
    for kind, title, version in rows:
        entry = found.setdefault(kind, {"in_force": [], "not_counted": [], "spans": []})
        first, last = _version_span(version)
        own = version.approved_by_id is None or version.approved_by_id == version.uploaded_by_id
        if last <= max(first, period.start):
            continue
        listed = {
            "document_id": version.document_id, "version_id": version.id, "title": title,
            "version": version.version, "effective_on": version.effective_on.isoformat(),
            "approved_at": version.approved_at.isoformat(),
            "review_on": version.review_on.isoformat() if version.review_on else None,
            "withdrawn_at": version.withdrawn_at.isoformat() if version.withdrawn_at else None,
            "backdated": version.effective_on < to_zone(version.approved_at).date(),
        }
        if own:
            entry["not_counted"].append({**listed, "why": "approved_by_uploader"})
            continue
        entry["in_force"].append(listed)
        entry["spans"].append((first, last))
    for entry in found.values():
        entry["share"] = _covered_share(entry.pop("spans"), period)
    return found


def documents_lapsed(session: Session, day) -> dict[str, str]:
    """Per kind, the last day an approved version was in force, when none is now."""
    rows = session.execute(
        select(ManagedDocument.kind, func.max(DocumentVersion.review_on))
        .join(DocumentVersion, DocumentVersion.document_id == ManagedDocument.id)
        .where(DocumentVersion.status == "approved", DocumentVersion.review_on < day)
        .group_by(ManagedDocument.kind)
    )
    return {kind: last.isoformat() for kind, last in rows if last}


def attestations_in_force(session: Session, period: Period) -> dict[str, dict]:
    """Per clause: the attestations in force during some of the period (from the moment
    they were signed, not the day typed on them, until they lapse or are withdrawn), with
    their statement and evidence, and the share of the period one was in force."""
    rows = session.scalars(
        select(Attestation)
        .where(Attestation.signed_at < period.end, Attestation.valid_until >= period.first_day,
               or_(Attestation.withdrawn_at.is_(None), Attestation.withdrawn_at > period.start))
        .order_by(Attestation.id)
    )
    found: dict[str, dict] = {}
    for attestation in rows:
        entry = found.setdefault(attestation.clause_number, {"attestations": [], "spans": []})
        last = _day_start(attestation.valid_until + timedelta(days=1))
        if attestation.withdrawn_at is not None:
            last = min(last, attestation.withdrawn_at)
        entry["attestations"].append({
            "id": attestation.id, "signer": attestation.signer_name,
            "statement": attestation.statement, "signed_at": attestation.signed_at.isoformat(),
            "signed_on": attestation.signed_on.isoformat(),
            "valid_until": attestation.valid_until.isoformat(),
            "withdrawn_at": (attestation.withdrawn_at.isoformat()
                             if attestation.withdrawn_at else None),
            "backdated": attestation.signed_on < to_zone(attestation.signed_at).date(),
            "evidence_file": attestation.evidence_filename,
            "evidence_file_key": attestation.evidence_file_key,
            "evidence_records": attestation.evidence_records,
            "has_evidence": attestation.has_evidence,
        })
        entry["spans"].append((attestation.signed_at, last, attestation.has_evidence))
    return found


def special_counts(session: Session, day, window_days: int) -> tuple[int, int]:
    """Special deductions and bonuses raised in the window ending `day` (void ones aside)."""
    since = day - timedelta(days=window_days - 1)
    rows = dict(session.execute(
        select(SpecialItem.kind, func.count())
        .where(SpecialItem.status != "void", SpecialItem.raised_on >= since,
               SpecialItem.raised_on <= day)
        .group_by(SpecialItem.kind)
    ).all())
    return rows.get("deduction", 0), rows.get("bonus", 0)


def latest_audit_seq(session: Session) -> int:
    return session.scalar(select(func.max(AuditEntry.id))) or 0


@dataclass
class ClauseResult:
    number: str
    status: str
    applicable: bool
    points: float
    obtained: float
    evidence_count: int
    computed_at: datetime
    detail: dict


def _document_check(kind: str, documents: dict,
                    lapsed: dict) -> tuple[DocumentCheck, scoring.CheckShare]:
    entry = documents.get(kind, {"in_force": [], "not_counted": [], "share": 0.0})
    check = DocumentCheck(kind=kind, in_force=entry["in_force"],
                          not_counted=entry["not_counted"], share=entry["share"],
                          lapsed_on=None if entry["share"] else lapsed.get(kind),
                          fraction=entry["share"])
    return check, scoring.CheckShare(scoring.IN_FORCE, entry["share"])


def _attestation_check(number: str, attestations: dict, evidence_required: bool,
                       period: Period) -> tuple[AttestationCheck, scoring.CheckShare]:
    """An attestation counts while it is in force; where the rubric requires evidence
    for the clause, only one that carries it (a file or linked records)."""
    entry = attestations.get(number, {"attestations": [], "spans": []})
    spans = [(first, last) for first, last, evidenced in entry["spans"]
             if evidenced or not evidence_required]
    share = _covered_share(spans, period)
    check = AttestationCheck(attestations=entry["attestations"],
                             evidence_required=evidence_required, share=share, fraction=share)
    return check, scoring.CheckShare(scoring.IN_FORCE, share)


def compute_clause(clause, rule, metrics, documents, lapsed, attestations, period,
                   now) -> ClauseResult:
    checks: list[Check] = []
    shares = []
    sample = clause.evidence == "sample"
    for key in clause.providers:
        share = _metric_check(metrics[key], sample)
        checks.append(replace(metrics[key], fraction=share.fraction))
        shares.append(share)
    for kind in clause.documents:
        check, share = _document_check(kind, documents, lapsed)
        checks.append(check)
        shares.append(share)
    if clause.attestation:
        check, share = _attestation_check(clause.number, attestations, rule.evidence_required,
                                          period)
        checks.append(check)
        shares.append(share)
    outcome = scoring.clause_outcome(shares)
    if all(isinstance(c, MetricCheck) and c.status == "no_data" for c in checks):
        # Nothing measured (no records, or no module provides the metric yet): no data,
        # and no points; the gap list says which module or records are missing.
        outcome = scoring.ClauseOutcome("no_data", 0.0)
    fraction = outcome.fraction if rule.applicable else 0.0
    return ClauseResult(
        number=clause.number, status=outcome.status if rule.applicable else "not_applicable",
        applicable=rule.applicable, points=rule.points,
        obtained=rule.points * fraction if rule.applicable else 0.0,
        evidence_count=sum(check.evidence_count for check in checks), computed_at=now,
        detail={"checks": [check_to_json(check) for check in checks],
                "na_reason": rule.na_reason, "evidence": clause.evidence, "fraction": fraction},
    )


def compute(session: Session, now: datetime | None = None, kind: str = "full",
            only: set[str] | None = None, previous: Snapshot | None = None,
            period: Period | None = None, on_measure=None) -> Snapshot:
    """Evaluate the clauses (all, or those in `only`, carrying the rest over from
    `previous`) over `period` (default: the rolling period ending today; documents and
    attestations as on its last day) and store one snapshot. on_measure(key, provider,
    measure) sees every provider's Measure (freezing keeps its record ids). Flushes; the
    caller commits."""
    began = time.perf_counter()
    now = now or utcnow()
    catalog = catalog_module.load()
    rules = rubric.current(session)
    if period is None:
        period = Period.ending(now.astimezone(DEFAULT_ZONE).date(), rules.period_days)
    day = period.last_day
    # Providers take the figures at `now` and count within the rubric's time limits.
    period.memo.update(now=now, limits=rules.limits, weights=rules.weights)
    audit_seq = latest_audit_seq(session)
    clauses = [c for c in catalog.clauses if only is None or c.number in only]
    keys = sorted({key for clause in clauses for key in clause.providers})
    metrics = {
        key: evaluate_metric(session, key, period, rules.targets[key], on_measure)
        for key in keys
    }
    docs, lapsed = documents_in_force(session, period), documents_lapsed(session, day)
    attestations = attestations_in_force(session, period)
    results = {
        clause.number: compute_clause(
            clause, rules.clauses[clause.number], metrics, docs, lapsed, attestations,
            period, now,
        )
        for clause in clauses
    }
    if only is not None and previous is not None:
        for row in session.scalars(
            select(SnapshotClause).where(SnapshotClause.snapshot_id == previous.id)
        ):
            if row.clause_number in results:
                continue
            # A rubric edit makes every clause stale, so a carried clause kept its rule.
            detail = json.loads(row.detail_json)
            results[row.clause_number] = ClauseResult(
                row.clause_number, row.status, row.applicable, float(row.points),
                float(row.points) * detail.get("fraction", 0.0), row.evidence_count,
                row.computed_at, detail,
            )
    # A frozen audit period counts the special items raised within it, as its report lists.
    window = ((period.last_day - period.first_day).days + 1 if kind == "frozen"
              else rules.deduction_window_days)
    deductions, bonus = special_counts(session, day, window)
    ordered = [results[c.number] for c in catalog.clauses if c.number in results]
    total = scoring.total(
        [(r.points, r.obtained) for r in ordered if r.applicable], deductions, bonus
    )
    groups = {}
    for group in catalog.groups:
        members = [r for r in ordered if r.number.startswith(group + ".") and r.applicable]
        groups[group] = {"points": round(sum(r.points for r in members), 2),
                         "obtained": round(sum(r.obtained for r in members), 2)}
    snapshot = Snapshot(
        kind=kind, computed_at=now, period_from=period.first_day, period_to=period.last_day,
        score=total.score, level=total.level, points_obtained=total.obtained,
        points_applicable=total.applicable, deductions=deductions, bonus=total.bonus,
        audit_seq=audit_seq, seconds=round(time.perf_counter() - began, 3),
        groups_json=json.dumps(groups),
    )
    session.add(snapshot)
    session.flush()
    session.add_all(
        SnapshotClause(
            snapshot_id=snapshot.id, clause_number=r.number, status=r.status,
            applicable=r.applicable, points=r.points, obtained=round(r.obtained, 2),
            evidence_count=r.evidence_count, computed_at=r.computed_at,
            detail_json=json.dumps(r.detail, ensure_ascii=False, default=str),
        )
        for r in ordered
    )
    session.flush()
    return snapshot


# ---------------------------------------------------------------- staleness


def clause_tables() -> dict[str, frozenset[str]]:
    """Per clause, the tables whose changes make it stale."""
    providers = registry.registered()
    tables = {}
    for clause in catalog_module.load().clauses:
        watched = set(RUBRIC_TABLES)
        for key in clause.providers:
            if key in providers:
                watched |= providers[key].tables
        if clause.documents:
            watched |= DOCUMENT_TABLES
        if clause.attestation:
            watched |= ATTESTATION_TABLES
        tables[clause.number] = frozenset(watched)
    return tables


def changed_tables(session: Session, since_seq: int) -> set[str]:
    """Tables with an audit entry after `since_seq` (a range scan of the newest entries)."""
    return set(session.scalars(
        select(AuditEntry.record_type).where(AuditEntry.id > since_seq).distinct()
    ))


def stale_clauses(session: Session, snapshot: Snapshot) -> set[str]:
    changed = changed_tables(session, snapshot.audit_seq)
    if not changed:
        return set()
    return {number for number, watched in clause_tables().items() if watched & changed}


def latest(session: Session, kind: str | None = None) -> Snapshot | None:
    """The newest rolling snapshot (frozen audit periods' snapshots are not in the line)."""
    stmt = select(Snapshot).order_by(Snapshot.computed_at.desc(), Snapshot.id.desc()).limit(1)
    stmt = stmt.where(Snapshot.kind == kind) if kind else stmt.where(Snapshot.kind != "frozen")
    return session.scalar(stmt)


def refresh(session: Session, now: datetime | None = None) -> Snapshot | None:
    """Recompute the stale clauses; a full snapshot when there is none yet or the day
    turned (documents lapse and periods roll by the day). None: nothing was stale."""
    now = now or utcnow()
    previous = latest(session)
    day = now.astimezone(DEFAULT_ZONE).date()
    if previous is None or previous.period_to != day:
        return compute(session, now, kind="full")
    stale = stale_clauses(session, previous)
    score_changed = bool(changed_tables(session, previous.audit_seq) & SCORE_TABLES)
    if not stale and not score_changed:
        return None
    return compute(session, now, kind="refresh", only=stale, previous=previous)


def daily(session: Session, now: datetime | None = None) -> Snapshot | None:
    """The nightly full recompute; a second run the same day changes nothing."""
    now = now or utcnow()
    day = now.astimezone(DEFAULT_ZONE).date()
    last = latest(session, "full")
    if last is not None and last.period_to == day:
        return None
    return compute(session, now, kind="full")


def trend(session: Session, days: int = 182) -> list[Snapshot]:
    """The last full snapshot of each day, oldest first (one query)."""
    since = utcnow() - timedelta(days=days)
    newest = (
        select(func.max(Snapshot.id))
        .where(Snapshot.kind == "full", Snapshot.computed_at >= since)
        .group_by(Snapshot.period_to)
    )
    return list(session.scalars(
        select(Snapshot).where(Snapshot.id.in_(newest)).order_by(Snapshot.computed_at)
    ))


def snapshot_clauses(session: Session, snapshot: Snapshot) -> list[SnapshotClause]:
    order = {c.number: i for i, c in enumerate(catalog_module.load().clauses)}
    rows = list(session.scalars(
        select(SnapshotClause).where(SnapshotClause.snapshot_id == snapshot.id)
    ))
    return sorted(rows, key=lambda row: order.get(row.clause_number, 999))


def snapshot_clause(session: Session, snapshot: Snapshot, number: str) -> SnapshotClause | None:
    return session.scalar(select(SnapshotClause).where(
        and_(SnapshotClause.snapshot_id == snapshot.id, SnapshotClause.clause_number == number)
    ))
