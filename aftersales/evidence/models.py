"""Managed documents, the improvement-action and special-deduction registers, signed
attestations, the editable rubric and its history, and the stored snapshots."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import to_zone, utcnow
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db


class VersionState(Vocabulary):
    DRAFT = "draft", _l("Draft")
    APPROVED = "approved", _l("Approved")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


VERSION_STATES = VersionState.codes()


class ActionState(Vocabulary):
    OPEN = "open", _l("Open")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")
    CANCELLED = "cancelled", _l("Cancelled")


ACTION_STATES = ActionState.codes()


class ActionSource(Vocabulary):
    COMPLAINT = "complaint", _l("Complaint")
    RETURN_VISIT = "return_visit", _l("Return visit")
    AUDIT = "audit", _l("Audit finding")
    SELF_ASSESSMENT = "self_assessment", _l("Self-assessment")
    OTHER = "other", _l("Other")


ACTION_SOURCES = ActionSource.codes()


class ItemKind(Vocabulary):
    DEDUCTION = "deduction", _l("Special deduction (−1)")
    BONUS = "bonus", _l("Special bonus (+1)")


ITEM_KINDS = ItemKind.codes()


class ItemBasis(Vocabulary):
    LAW = "law", _l("Breach of a law or regulation")
    COMPANY_RULE = "company_rule", _l("Breach of the company's own service rules")
    INDUSTRY = "industry", _l("Breach of an industry requirement")
    STRENGTH = "strength", _l("Industry-leading strength")


ITEM_BASES = ItemBasis.codes()


class ItemState(Vocabulary):
    OPEN = "open", _l("To rectify")
    RECTIFYING = "rectifying", _l("Rectifying")
    RECTIFIED = "rectified", _l("Rectified")
    VOID = "void", _l("Void")


ITEM_STATES = ItemState.codes()


class SnapshotKind(Vocabulary):
    FULL = "full"
    REFRESH = "refresh"
    FROZEN = "frozen"


SNAPSHOT_KINDS = SnapshotKind.codes()


class ExportState(Vocabulary):
    QUEUED = "queued", _l("Queued")
    RUNNING = "running", _l("Building")
    DONE = "done", _l("Ready")
    FAILED = "failed", _l("Failed")
    CANCELLED = "cancelled", _l("Cancelled")


EXPORT_STATES = ExportState.codes()


class FreezeState(Vocabulary):
    QUEUED = "queued", _l("Queued")
    RUNNING = "running", _l("Freezing")
    DONE = "done", _l("Period frozen")
    FAILED = "failed", _l("Failed")


class ManagedDocument(Audited, db.Model):
    """A controlled document (service manual, commitments, budget ...) of a kind named in
    catalog.toml; its versions carry approval and the days they are in force."""

    __tablename__ = "evidence_documents"
    __table_args__ = (Index("ix_evidence_documents_kind_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    versions: Mapped[list["DocumentVersion"]] = relationship(
        order_by="DocumentVersion.id.desc()", lazy="raise_on_sql", viewonly=True
    )


class DocumentVersion(Audited, db.Model):
    """One uploaded version. In force on a day when approved, effective on or before it,
    and its review or expiry date (if any) not passed."""

    __tablename__ = "evidence_document_versions"
    __table_args__ = (
        CheckConstraint(VersionState.check("status"), name="known_status"),
        CheckConstraint("review_on IS NULL OR review_on >= effective_on", name="review_after"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
        CheckConstraint(
            "(status = 'draft') = (approved_at IS NULL)", name="approved_has_time"
        ),
        Index("ix_evidence_document_versions_document_id_id", "document_id", "id"),
        Index("ix_evidence_document_versions_status_effective_on", "status", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("evidence_documents.id"))
    version: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    effective_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # The file, kept outside the web root by the storage backend, named by its digest.
    file_key: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A withdrawn version was in force until this moment (it keeps counting for the past).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def in_force_on(self, day: date) -> bool:
        return (
            self.status == "approved"
            and self.effective_on <= day
            and (self.review_on is None or self.review_on >= day)
        )

    @property
    def backdated(self) -> bool:
        """Its effective day is before its approval: it counts only from the approval."""
        return self.approved_at is not None and self.effective_on < to_zone(self.approved_at).date()


class ImprovementAction(Audited, db.Model):
    """Clause 5.1.6: a corrective or preventive action, its owner, due date and status."""

    __tablename__ = "evidence_improvement_actions"
    __table_args__ = (
        CheckConstraint(ActionState.check("status"), name="known_status"),
        CheckConstraint(ActionSource.check("source"), name="known_source"),
        CheckConstraint("(status = 'done') = (done_on IS NOT NULL)", name="done_has_day"),
        Index("ix_evidence_improvement_actions_status_id", "status", "id"),
        Index("ix_evidence_improvement_actions_due_on", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))
    clause_number: Mapped[str | None] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_name: Mapped[str] = mapped_column(String(100))
    opened_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    done_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SpecialItem(Audited, db.Model):
    """特别扣分项 (a special deduction: 1 point, to be rectified) or the special bonus
    (+1, at most one counts)."""

    __tablename__ = "evidence_special_items"
    __table_args__ = (
        CheckConstraint(ItemKind.check("kind"), name="known_kind"),
        CheckConstraint(ItemBasis.check("basis"), name="known_basis"),
        CheckConstraint(ItemState.check("status"), name="known_status"),
        CheckConstraint(
            "(status = 'rectified') = (rectified_on IS NOT NULL)", name="rectified_has_day"
        ),
        Index("ix_evidence_special_items_raised_on", "raised_on"),
        Index("ix_evidence_special_items_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    basis: Mapped[str] = mapped_column(String(16))
    clause_number: Mapped[str | None] = mapped_column(String(12))
    raised_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    rectify_by: Mapped[date | None] = mapped_column(Date)
    rectification: Mapped[str] = mapped_column(Text, default="")
    rectified_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Attestation(Audited, db.Model):
    """A manager's signed statement for an interview-type clause, valid for a year."""

    __tablename__ = "evidence_attestations"
    __table_args__ = (
        CheckConstraint("valid_until >= signed_on", name="valid_after_signed"),
        Index("ix_evidence_attestations_clause_number_id", "clause_number", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_number: Mapped[str] = mapped_column(String(12))
    statement: Mapped[str] = mapped_column(Text)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the statement rests on: an attached file and/or the records it names
    # (work-order, complaint or session numbers), printed in the audit package.
    evidence_file_key: Mapped[str | None] = mapped_column(String(80))
    evidence_filename: Mapped[str | None] = mapped_column(String(200))
    evidence_content_type: Mapped[str | None] = mapped_column(String(100))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_records: Mapped[str] = mapped_column(Text, default="")

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_file_key or (self.evidence_records or "").strip())


class RubricClause(Audited, db.Model):
    """A manager's override of a clause's default points, or its exclusion (6.2.2)."""

    __tablename__ = "evidence_rubric_clauses"
    __table_args__ = (
        CheckConstraint("points >= 0 AND points <= 100", name="points_range"),
        CheckConstraint(
            "applicable OR length(na_reason) > 0", name="excluded_has_reason"
        ),
    )

    clause_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    applicable: Mapped[bool] = mapped_column(default=True)
    na_reason: Mapped[str] = mapped_column(Text, default="")
    # An attestation for this clause counts only with evidence attached.
    evidence_required: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RubricTarget(Audited, db.Model):
    """A manager's override of a provider's default target."""

    __tablename__ = "evidence_rubric_targets"

    provider_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    target: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    limit_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))  # None: the default
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RubricSetting(Audited, db.Model):
    """period_days, system_started_on, certified_on (the certification calendar)."""

    __tablename__ = "evidence_rubric_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RubricChange(Audited, db.Model):
    """The rubric's history, readable: what changed, from what, to what, why, by whom."""

    __tablename__ = "evidence_rubric_changes"
    __table_args__ = (Index("ix_evidence_rubric_changes_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(80))
    old_value: Mapped[str] = mapped_column(String(200))
    new_value: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")


class Snapshot(Audited, db.Model):
    """One computation of every clause: what dashboards read. Derived data, so not in the
    audit trail; audit_seq is the last audit entry it saw (later entries make it stale)."""

    __tablename__ = "evidence_snapshots"
    __table_args__ = (
        CheckConstraint(SnapshotKind.check("kind"), name="known_kind"),
        Index("ix_evidence_snapshots_kind_computed_at", "kind", "computed_at"),
        Index("ix_evidence_snapshots_computed_at", "computed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    level: Mapped[str | None] = mapped_column(String(12))
    points_obtained: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    points_applicable: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    deductions: Mapped[int] = mapped_column(Integer)
    bonus: Mapped[int] = mapped_column(Integer)
    audit_seq: Mapped[int] = mapped_column(BigInteger)
    seconds: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    groups_json: Mapped[str] = mapped_column(Text)


class SnapshotClause(Audited, db.Model):
    """One clause in one snapshot: status, points, and the detail (metrics with their
    record ids, documents, attestation, what would close the gap) as JSON."""

    __tablename__ = "evidence_snapshot_clauses"

    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    clause_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    applicable: Mapped[bool] = mapped_column()
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    obtained: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    evidence_count: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail_json: Mapped[str] = mapped_column(Text)


class AuditPeriod(Audited, db.Model):
    """A period a manager froze for an audit: its snapshot, the record ids behind every
    metric (FrozenRecord), the population sampled (FrozenPopulation) and the audit
    trail's chain head at that moment. Nothing of it changes afterwards."""

    __tablename__ = "evidence_audit_periods"
    __table_args__ = (
        UniqueConstraint("first_day", "last_day", name="one_per_period"),
        CheckConstraint("last_day >= first_day", name="ends_after_start"),
        CheckConstraint("sample_share >= 0.1 AND sample_share <= 1", name="share_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("evidence_snapshots.id"))
    chain_seq: Mapped[int] = mapped_column(BigInteger)
    chain_hash: Mapped[str] = mapped_column(String(64))
    sample_seed: Mapped[int] = mapped_column(BigInteger)
    sample_share: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    frozen_by_label: Mapped[str] = mapped_column(String(100))
    # The columns the frozen rows hold: {"kinds": {record type: [column, ...]},
    # "metrics": {metric key: [detail column, ...]}}. Empty for periods frozen before
    # records were frozen with their content.
    layout_json: Mapped[str] = mapped_column(Text, default="{}")
    # The seal: SHA-256 over everything frozen with the period (evidence/audit/seal.py),
    # kept in the period's audit entry. None for periods frozen before seals, whose frozen
    # rows each have an entry of their own.
    content_sha256: Mapped[str | None] = mapped_column(String(64))

    snapshot: Mapped[Snapshot] = relationship(lazy="joined", viewonly=True)


class FrozenRecord(db.Model):
    """One record behind one metric of a frozen period, and whether it failed the metric.
    Written once, set-based, at freeze time. Not an entry per row in the audit trail (a
    year holds millions): the period's seal covers every frozen row (AuditPeriod.
    content_sha256), so one changed afterwards no longer matches it."""

    __tablename__ = "evidence_frozen_records"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_audit_periods.id", ondelete="CASCADE"), primary_key=True
    )
    provider_key: Mapped[str] = mapped_column(String(60), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    failing: Mapped[bool] = mapped_column(Boolean)
    # The metric's own figures for the record (a callback's seconds...), as a JSON list
    # in the order of the period's layout; None when the metric has none.
    detail_json: Mapped[str | None] = mapped_column(Text)


class FrozenRow(db.Model):
    """A record behind some frozen metric, as it was at the freeze: the values the
    package prints (a JSON list in the order of the period's layout), once per record
    however many metrics it serves. Covered by the period's seal."""

    __tablename__ = "evidence_frozen_rows"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_audit_periods.id", ondelete="CASCADE"), primary_key=True
    )
    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    values_json: Mapped[str] = mapped_column(Text)


class FrozenSheet(db.Model):
    """A sampled record's sheet as it was at the freeze: the data it prints (JSON), from
    which the package renders the same PDF however often it is exported. Covered by the
    period's seal."""

    __tablename__ = "evidence_frozen_sheets"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_audit_periods.id", ondelete="CASCADE"), primary_key=True
    )
    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data_json: Mapped[str] = mapped_column(Text)


class FrozenPopulation(db.Model):
    """A record the package samples from (a work order closed in the period, ...), with
    its stratum (outlet, local month). Covered by the period's seal."""

    __tablename__ = "evidence_frozen_population"
    __table_args__ = (
        Index("ix_evidence_frozen_population_strata", "period_id", "record_type", "outlet_id",
              "month", "record_id"),
    )

    period_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_audit_periods.id", ondelete="CASCADE"), primary_key=True
    )
    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    outlet_id: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[str] = mapped_column(String(7))


class QueuedWork:
    """What a piece of background work a person asked for keeps (evidence/audit/
    background.py): its status, who asked and when, when it ran and ended, its runner and
    heartbeat, and why it failed."""

    status: Mapped[str] = mapped_column(String(12), default="queued")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_by_label: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the runner's heartbeat
    # The process doing it, "host:pid": on the same host, a dead runner is seen at once.
    builder: Mapped[str] = mapped_column(String(120), default="", server_default="")
    error: Mapped[str] = mapped_column(Text, default="")


class PackageExport(QueuedWork, Audited, db.Model):
    """One export of a frozen period's evidence package: who asked, its progress, and
    the SHA-256 of the finished zip. Progress is written with plain UPDATEs (not audited);
    the request and each change of status are."""

    __tablename__ = "evidence_exports"
    __table_args__ = (
        CheckConstraint(ExportState.check("status"), name="known_status"),
        CheckConstraint("(status = 'done') = (sha256 IS NOT NULL)", name="done_has_hash"),
        Index("ix_evidence_exports_status_id", "status", "id"),
        Index("ix_evidence_exports_period_id_id", "period_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("evidence_audit_periods.id"))
    steps_done: Mapped[int] = mapped_column(Integer, default=0)
    steps_total: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))


class FreezeRequest(QueuedWork, Audited, db.Model):
    """A request to freeze an audit period, run in the background (a year's freeze at one
    enterprise's size takes minutes, longer than a web request may): who asked, for which
    days and sample, its runner and heartbeat while it runs (as an export's), and the
    period it froze or why it failed."""

    __tablename__ = "evidence_freeze_requests"
    __table_args__ = (
        CheckConstraint(FreezeState.check("status"), name="known_status"),
        CheckConstraint("(status = 'done') = (period_id IS NOT NULL)", name="done_has_period"),
        CheckConstraint("last_day >= first_day", name="ends_after_start"),
        Index("ix_evidence_freeze_requests_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    sample_share: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    sample_seed: Mapped[int] = mapped_column(BigInteger)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_audit_periods.id"))
