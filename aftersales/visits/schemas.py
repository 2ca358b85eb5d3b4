from decimal import Decimal

from marshmallow import Schema, fields, validate

from aftersales.core.fields import Day, DecimalText, Int
from aftersales.core.pagination import PageArgsSchema, page_schema
from aftersales.core.sample_input import DEFAULT_SHARE, MAX_SEED, MIN_SHARE, PercentShare
from aftersales.visits.models import VisitOutcome, VisitState
from aftersales.visits.services import MAX_COMMENT


class PeriodSchema(Schema):
    """Local calendar days (Asia/Shanghai) of closing, both included."""

    first_day = Day(data_key="from", required=True)
    last_day = Day(data_key="to", required=True)


class SampleInSchema(PeriodSchema):
    share = DecimalText(
        load_default=DEFAULT_SHARE, places=4,
        validate=validate.Range(min=MIN_SHARE, max=Decimal(1)),
        metadata={"description": "Share of each outlet x month to sample (default 0.10)."},
    )
    seed = Int(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_SEED),
        metadata={"description": "Random seed; a new one when left out. Stored, so anyone "
                                 "can redraw the sample."},
    )


class SamplePageSchema(SampleInSchema):
    """The sample page's form: the share in percent."""

    share = PercentShare(load_default=DEFAULT_SHARE)


class RedrawQuerySchema(Schema):
    check = fields.Boolean(load_default=False)


class StratumOutSchema(Schema):
    outlet_id = Int(allow_none=True)
    month = fields.String(metadata={"description": "Local month of closing, YYYY-MM."})
    population = Int()
    already_sampled = Int()
    target = Int(metadata={"description": "ceil(share x population)"})
    drawn = Int()


class SampleOutSchema(Schema):
    id = Int()
    period_from = Day(data_key="from")
    period_to = Day(data_key="to")
    share = fields.Float()
    seed = Int()
    drawn_at = fields.DateTime()
    drawn_by_id = Int(allow_none=True)
    population = Int(metadata={"description": "Work orders closed in the period."})
    sampled_count = Int(metadata={"description": "Visits this drawing added."})
    strata = fields.List(fields.Nested(StratumOutSchema))


class RedrawOutSchema(Schema):
    matches = fields.Boolean()
    stored = Int()
    redrawn = Int()


class VisitQuerySchema(PageArgsSchema):
    state = fields.String(load_default=None, validate=VisitState.validator())
    outlet_id = Int(data_key="outlet", load_default=None)
    # One visit alone (a compliance page's drill-down to the record it counts).
    visit_id = Int(data_key="visit", load_default=None)


class SurveyQuerySchema(PageArgsSchema):
    outlet_id = Int(data_key="outlet", load_default=None)
    # One answer alone (the compliance page's drill-down to the record it counts).
    survey_id = Int(data_key="survey", load_default=None)


class VisitOutSchema(Schema):
    id = Int()
    ticket_id = Int()
    ticket_number = fields.String()
    outlet_id = Int(allow_none=True)
    sample_batch_id = Int()
    sampled_at = fields.DateTime()
    state = fields.String()
    outcome = fields.String(allow_none=True)
    satisfaction = Int(allow_none=True)
    comment = fields.String()
    called_by_id = Int(allow_none=True)
    called_at = fields.DateTime(allow_none=True)
    attempts = Int()
    follow_up_ticket_id = Int(allow_none=True)
    follow_up_number = fields.String(allow_none=True)


VisitPageSchema = page_schema(VisitOutSchema)


class VisitRecordSchema(Schema):
    outcome = fields.String(required=True, validate=VisitOutcome.validator())
    satisfaction = Int(
        load_default=None, allow_none=True, strict=True,
        metadata={"description": "1-5; required when reached, refused otherwise. "
                                 "1 or 2 opens a follow-up work order."},
    )
    comment = fields.String(load_default="", validate=validate.Length(max=MAX_COMMENT))


class VisitRecordPageSchema(VisitRecordSchema):
    """The queue's form: a score button sends its number as text."""

    satisfaction = Int(load_default=None)


class FiguresRowSchema(Schema):
    outlet_id = Int(allow_none=True)
    closed = Int(metadata={"description": "Work orders closed in the period."})
    sampled = Int()
    share_sampled = fields.Float(allow_none=True, metadata={"description": "sampled / closed"})
    done = Int()
    due = Int()
    reached = Int()
    not_reached = Int()
    refused = Int()
    scored = Int()
    average_satisfaction = fields.Float(allow_none=True, metadata={"description": "Of 5."})
    satisfaction_100 = fields.Float(
        allow_none=True, metadata={"description": "Average score x 20, of 100."}
    )
    dissatisfied = Int(metadata={"description": "Scores of 1 or 2."})
    share_dissatisfied = fields.Float(
        allow_none=True, metadata={"description": "dissatisfied / scored"}
    )
    follow_ups = Int(metadata={"description": "Follow-up work orders opened."})
    follow_ups_finished = Int(
        metadata={"description": "Follow-ups resolved or closed."}
    )


class FiguresOutSchema(Schema):
    first_day = Day(data_key="from")
    last_day = Day(data_key="to")
    overall = fields.Nested(FiguresRowSchema)
    outlets = fields.List(fields.Nested(FiguresRowSchema))
