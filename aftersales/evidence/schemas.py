
from marshmallow import Schema, fields, validate

from aftersales.core.fields import Day, DecimalText, Int, Text, UploadedFile
from aftersales.core.sample_input import DEFAULT_SHARE, MAX_SEED, PercentShare
from aftersales.evidence.compliance.rubric import MAX_PERIOD_DAYS
from aftersales.evidence.models import (
    ActionSource,
    ActionState,
    ItemBasis,
    ItemKind,
    ItemState,
)

STATUSES = ("met", "partly_met", "not_met", "no_data", "not_applicable")


class GroupOutSchema(Schema):
    group = fields.String()
    points = fields.Float()
    obtained = fields.Float()
    share = fields.Float(allow_none=True)


class MetricOutSchema(Schema):
    type = fields.String(metadata={"description": "metric, document or attestation"})
    key = fields.String()
    status = fields.String()
    value = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    unit = fields.String()
    better = fields.String(metadata={"description": "higher or lower"})
    registered = fields.Boolean(metadata={"description": "false: no module provides it yet"})
    passed = Int(allow_none=True)
    checked = Int(allow_none=True)
    record_type = fields.String(allow_none=True)
    failing_count = Int()
    kind = fields.String(metadata={"description": "document kind"})
    in_force = fields.List(fields.Dict())
    lapsed_on = fields.String(allow_none=True)
    attestations = fields.List(fields.Dict())
    fraction = fields.Float(allow_none=True, metadata={"description": "share of points"})


class MetricRecordsOutSchema(Schema):
    record_type = fields.String(allow_none=True)
    failing_count = Int(metadata={"description": "exact, counted again now"})
    failing_ids = fields.List(Int(), metadata={"description": "the first 200 failing"})
    sample_ids = fields.List(Int(), metadata={"description": "20 behind the figure"})


class ClauseOutSchema(Schema):
    number = fields.String()
    group = fields.String()
    evidence = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    applicable = fields.Boolean()
    na_reason = fields.String()
    points = fields.Float()
    obtained = fields.Float()
    at_stake = fields.Float()
    evidence_count = Int()
    computed_at = fields.DateTime()
    stale = fields.Boolean()
    checks = fields.List(fields.Nested(MetricOutSchema))


class SnapshotOutSchema(Schema):
    id = Int()
    kind = fields.String()
    computed_at = fields.DateTime()
    period_from = Day(data_key="from")
    period_to = Day(data_key="to")
    score = fields.Float()
    level = fields.String(allow_none=True, metadata={
        "description": "compliant, three_star, four_star, five_star or null"})
    points_obtained = fields.Float()
    points_applicable = fields.Float()
    deductions = Int()
    bonus = Int()
    seconds = fields.Float(metadata={"description": "time the computation took"})


class MilestoneOutSchema(Schema):
    key = fields.String()
    on = Day()
    past = fields.Boolean()


class GapOutSchema(Schema):
    number = fields.String()
    status = fields.String()
    points = fields.Float()
    obtained = fields.Float()
    at_stake = fields.Float()


class ScoreOutSchema(Schema):
    snapshot = fields.Nested(SnapshotOutSchema)
    groups = fields.List(fields.Nested(GroupOutSchema))
    stale = fields.List(fields.String(), metadata={"description": "clauses changed since"})
    gaps = fields.List(fields.Nested(GapOutSchema),
                       metadata={"description": "the most points at stake first"})
    calendar = fields.List(fields.Nested(MilestoneOutSchema))


class CatalogClauseOutSchema(Schema):
    number = fields.String()
    group = fields.String()
    zh = fields.String()
    en = fields.String()
    points = fields.Float(metadata={"description": "default points"})
    evidence = fields.String()
    providers = fields.List(fields.String())
    documents = fields.List(fields.String())
    attestation = fields.Boolean()


class DocumentInSchema(Schema):
    kind = fields.String(required=True)
    title = Text(required=True, validate=validate.Length(min=1, max=200))


class VersionOutSchema(Schema):
    id = Int()
    document_id = Int()
    version = fields.String()
    status = fields.String()
    effective_on = Day()
    review_on = Day(allow_none=True)
    filename = fields.String()
    content_type = fields.String()
    size_bytes = Int()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()
    approved_at = fields.DateTime(allow_none=True)


class DocumentOutSchema(Schema):
    id = Int()
    kind = fields.String()
    title = fields.String()
    created_at = fields.DateTime()


class VersionFormSchema(Schema):
    version = Text(required=True, validate=validate.Length(min=1, max=20))
    effective_on = Day(required=True)
    review_on = Day(load_default=None, allow_none=True)
    note = fields.String(load_default="")


class FileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class VersionPageSchema(VersionFormSchema):
    file = UploadedFile(required=True)


class ActionInSchema(Schema):
    title = fields.String(required=True)
    source = fields.String(required=True, validate=ActionSource.validator())
    owner_name = fields.String(required=True)
    due_on = Day(required=True)
    clause_number = fields.String(load_default=None, allow_none=True)
    description = fields.String(load_default="")


class ActionStatusSchema(Schema):
    status = fields.String(required=True, validate=ActionState.validator())
    result = fields.String(load_default="")


class ActionsPageQuerySchema(Schema):
    action_id = Int(load_default=None, metadata={"description": "the action a link marks"})


class ActionOutSchema(Schema):
    id = Int()
    title = fields.String()
    source = fields.String()
    clause_number = fields.String(allow_none=True)
    description = fields.String()
    owner_name = fields.String()
    opened_on = Day()
    due_on = Day()
    status = fields.String()
    done_on = Day(allow_none=True)
    result = fields.String()


class ItemInSchema(Schema):
    kind = fields.String(required=True, validate=ItemKind.validator())
    basis = fields.String(required=True, validate=ItemBasis.validator())
    description = fields.String(required=True)
    raised_on = Day(load_default=None)
    clause_number = fields.String(load_default=None, allow_none=True)
    rectify_by = Day(load_default=None, allow_none=True)


class ItemStatusSchema(Schema):
    status = fields.String(required=True, validate=ItemState.validator())
    rectification = fields.String(load_default="")


class ItemsPageQuerySchema(Schema):
    item_id = Int(load_default=None, metadata={"description": "the entry a link marks"})


class ItemOutSchema(Schema):
    id = Int()
    kind = fields.String()
    basis = fields.String()
    clause_number = fields.String(allow_none=True)
    raised_on = Day()
    description = fields.String()
    status = fields.String()
    rectify_by = Day(allow_none=True)
    rectification = fields.String()
    rectified_on = Day(allow_none=True)


class AttestationInSchema(Schema):
    clause_number = fields.String(required=True)
    statement = fields.String(required=True)
    evidence_records = fields.String(
        load_default="", metadata={"description": "the records the statement rests on "
                                                  "(work-order, complaint or session numbers)"})


class AttestationPageSchema(AttestationInSchema):
    file = UploadedFile(load_default=None)


class AttestationOutSchema(Schema):
    id = Int()
    clause_number = fields.String()
    statement = fields.String()
    signed_by_id = Int()
    signer_name = fields.String()
    signed_at = fields.DateTime()
    signed_on = Day()
    valid_until = Day()
    withdrawn_at = fields.DateTime(allow_none=True)
    evidence_records = fields.String()
    evidence_filename = fields.String(allow_none=True)
    evidence_sha256 = fields.String(allow_none=True)


class RubricClauseInSchema(Schema):
    points = DecimalText(required=True, places=2)
    applicable = fields.Boolean(load_default=True)
    na_reason = fields.String(load_default="")
    reason = fields.String(load_default="", metadata={"description": "required for a change"})
    evidence_required = fields.Boolean(load_default=None, allow_none=True)


class RubricTargetInSchema(Schema):
    target = DecimalText(required=True)
    limit_hours = DecimalText(load_default=None, allow_none=True)
    reason = fields.String(load_default="", metadata={"description": "required for a change"})


def rubric_weights_schema(parts: tuple[str, ...]) -> Schema:
    """A weighted metric's weights, one field per part (the survey's dimensions)."""
    return Schema.from_dict(
        {**{part: DecimalText(required=True) for part in parts},
         "reason": fields.String(load_default="")}, name="RubricWeightsSchema")()


class RubricSettingsPageSchema(Schema):
    period_days = Int(minimum=1, maximum=MAX_PERIOD_DAYS, load_default=None)
    deduction_window_days = Int(minimum=1, maximum=MAX_PERIOD_DAYS, load_default=None)
    system_started_on = Day(load_default=None)
    certified_on = Day(load_default=None)
    reason = fields.String(load_default="")


class RubricClauseOutSchema(Schema):
    number = fields.String()
    points = fields.Float()
    applicable = fields.Boolean()
    na_reason = fields.String()
    evidence_required = fields.Boolean()


class DepartureOutSchema(Schema):
    subject = fields.String()
    number_or_key = fields.String()
    what = fields.String()
    default = fields.String()
    current = fields.String()
    by = fields.String()
    at = fields.DateTime(allow_none=True)
    reason = fields.String()


class RubricOutSchema(Schema):
    clauses = fields.List(fields.Nested(RubricClauseOutSchema))
    targets = fields.Dict(keys=fields.String(), values=fields.Float())
    limits = fields.Dict(keys=fields.String(), values=fields.Float())
    weights = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Float()),
        metadata={"description": "a weighted metric's parts and their weights (the "
                                 "satisfaction survey's dimensions); changed on the rubric page"})
    departures = fields.List(fields.Nested(DepartureOutSchema), metadata={
        "description": "every entry that differs from the shipped default, with who, when, why"})
    period_days = Int()
    deduction_window_days = Int()
    system_started_on = Day(allow_none=True)
    certified_on = Day(allow_none=True)


class RubricChangeOutSchema(Schema):
    id = Int()
    at = fields.DateTime()
    actor_label = fields.String()
    subject = fields.String()
    old_value = fields.String()
    new_value = fields.String()
    reason = fields.String()


class PeriodInSchema(Schema):
    first_day = Day(required=True)
    last_day = Day(required=True)
    share = DecimalText(load_default=None, allow_none=True,
                           metadata={"description": "share of each stratum sampled, 0.10-1"})
    seed = Int(load_default=None, allow_none=True,
                          metadata={"description": "sampling seed; a random one when left out"})


class PeriodPageSchema(Schema):
    """The page's form: the days are named from and to, the share is typed in percent."""

    first_day = Day(required=True, data_key="from")
    last_day = Day(required=True, data_key="to")
    share = PercentShare(load_default=DEFAULT_SHARE)
    seed = Int(minimum=0, maximum=MAX_SEED, load_default=None)


class PeriodOutSchema(Schema):
    id = Int()
    first_day = Day()
    last_day = Day()
    frozen_at = fields.DateTime()
    frozen_by_label = fields.String()
    chain_seq = Int(metadata={"description": "audit trail chain head at freeze"})
    chain_hash = fields.String()
    sample_seed = Int()
    sample_share = DecimalText()
    score = DecimalText(attribute="snapshot.score")
    level = fields.String(allow_none=True, attribute="snapshot.level")


class FreezeRequestOutSchema(Schema):
    id = Int()
    first_day = Day()
    last_day = Day()
    sample_share = DecimalText()
    sample_seed = Int()
    status = fields.String(metadata={"description": "queued, running, done, failed"})
    requested_by_label = fields.String()
    requested_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    period_id = Int(allow_none=True, metadata={"description": "the period frozen, once done"})
    error = fields.String()


class ExportOutSchema(Schema):
    id = Int()
    period_id = Int()
    status = fields.String(metadata={"description": "queued, running, done, failed, cancelled"})
    requested_by_label = fields.String()
    requested_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    steps_done = Int()
    steps_total = Int()
    cancel_requested = fields.Boolean()
    file_name = fields.String()
    size_bytes = Int(allow_none=True)
    sha256 = fields.String(allow_none=True)
    error = fields.String()
