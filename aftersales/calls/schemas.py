from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from aftersales.calls.models import DIRECTIONS, OUTCOMES
from aftersales.calls.services import MAX_NOTE
from aftersales.core import privacy
from aftersales.core.fields import Day, Int, Text
from aftersales.core.pagination import PageArgsSchema, page_schema

_MOMENT = {"format": "iso"}


class CallInSchema(Schema):
    direction = fields.String(load_default="inbound", validate=validate.OneOf(DIRECTIONS))
    caller_number = Text(required=True, validate=validate.Length(min=1, max=40))
    queued_at = fields.AwareDateTime(required=True, **_MOMENT)
    answered_at = fields.AwareDateTime(load_default=None, allow_none=True, **_MOMENT)
    ended_at = fields.AwareDateTime(load_default=None, allow_none=True, **_MOMENT)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    agent_id = Int(
        load_default=None,
        allow_none=True,
        metadata={"description": "Who took the call; the caller by default when answered."},
    )
    note = fields.String(load_default="", validate=validate.Length(max=MAX_NOTE))
    callback_of_id = Int(
        load_default=None,
        allow_none=True,
        metadata={"description": "The missed inbound call this outbound call returns."},
    )


class CallbackInSchema(Schema):
    """The outbound call that returns a missed call; its number is the missed call's."""

    queued_at = fields.AwareDateTime(required=True, **_MOMENT)
    outcome = fields.String(
        load_default="answered", validate=validate.OneOf(("answered", "missed"))
    )
    answered_at = fields.AwareDateTime(load_default=None, allow_none=True, **_MOMENT)
    ended_at = fields.AwareDateTime(load_default=None, allow_none=True, **_MOMENT)
    agent_id = Int(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=MAX_NOTE))


class CallOutSchema(Schema):
    id = Int()
    direction = fields.String()
    # Masked (138****1111) for roles that do not call customers back.
    caller_number = fields.Function(lambda call: privacy.shown_phone(call.caller_number))
    queued_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    wait_seconds = Int()
    outcome = fields.String()
    agent_id = Int(allow_none=True)
    customer_id = Int(allow_none=True)
    within_hotline_hours = fields.Boolean()
    callback_of_id = Int(allow_none=True)
    note = fields.String()
    created_at = fields.DateTime()


CallPageSchema = page_schema(CallOutSchema)


class PeriodSchema(Schema):
    """Local calendar days (Asia/Shanghai), both included."""

    first_day = Day(data_key="from", load_default=None)
    last_day = Day(data_key="to", load_default=None)


class CallQuerySchema(PageArgsSchema, PeriodSchema):
    outcome = fields.String(load_default=None, validate=validate.OneOf(OUTCOMES))
    direction = fields.String(load_default=None, validate=validate.OneOf(DIRECTIONS))
    agent_id = Int(data_key="agent", load_default=None)
    caller_number = Text(load_default=None, validate=validate.Length(min=1, max=40))


class FiguresQuerySchema(Schema):
    first_day = Day(data_key="from", required=True)
    last_day = Day(data_key="to", required=True)


class FiguresSchema(Schema):
    start = fields.DateTime()
    end = fields.DateTime()
    hours = fields.String(metadata={"description": "Hotline hours now configured."})
    offered = Int(metadata={"description": "Inbound calls within hotline hours."})
    answered = Int()
    unanswered = Int(metadata={"description": "Missed or abandoned."})
    answer_rate = fields.Float(allow_none=True, metadata={"description": "answered / offered"})
    answer_rate_target = fields.Float()
    average_wait_seconds = Int(allow_none=True)
    out_of_hours = Int(metadata={"description": "Not in the answer rate."})
    callbacks_due = Int()
    called_back = Int()
    callbacks_open = Int()
    callback_seconds_avg = Int(allow_none=True)
    callback_seconds_max = Int(allow_none=True)


class ImportFileSchema(Schema):
    file = Upload(load_default=None, metadata={"description": "The call-centre CSV export."})


class ImportedSchema(Schema):
    imported = Int()
