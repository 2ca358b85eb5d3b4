from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from aftersales.calls.models import DIRECTIONS, OUTCOMES
from aftersales.calls.services import MAX_NOTE, normalise_number
from aftersales.core import privacy
from aftersales.core.errors import ValidationFailed
from aftersales.core.fields import Day, Int, LocalMoment, Text
from aftersales.core.pagination import PageArgsSchema, page_schema
from aftersales.tickets.services import PRIORITIES, TICKET_TYPES

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


class CallerNumber(Text):
    """A caller's number as a person types it ("+86 139-1234-5678"), loaded as its digits.
    Strict: a Chinese mobile or landline number only."""

    def __init__(self, *, strict: bool, **kwargs):
        super().__init__(**kwargs)
        self.strict = strict

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        typed = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_number(typed, strict=self.strict)
        except ValidationFailed as problem:
            raise ValidationError(str(problem.message)) from problem


class CallFormSchema(CallInSchema):
    """The call log's "log a call" form: times typed in local time, a number as a person
    types it. The form pre-fills the answer time and the agent; they count only for an
    answered call."""

    caller_number = CallerNumber(strict=True, required=True)
    queued_at = LocalMoment(required=True)
    answered_at = LocalMoment(load_default=None)
    ended_at = LocalMoment(load_default=None)

    class Meta:
        exclude = ("callback_of_id",)

    @pre_load
    def answer_of_an_answered_call_only(self, data, **_kwargs):
        if data.get("outcome") == "answered":
            return data
        return {name: value for name, value in data.items()
                if name not in ("answered_at", "agent_id")}


class ConsoleQuerySchema(Schema):
    """The agent console's look-up (a number, name or serial) and, once the call is being
    logged, when it was answered."""

    number = Text(load_default="")
    answered_at = LocalMoment(load_default=None)
    customer_id = Int(load_default=None)  # chosen among those found (a new customer's page)


class ConsoleCallSchema(ConsoleQuerySchema):
    """The console's form: the answered call and, when a problem is described, the work
    order opened for it. The caller's number is its own input (the look-up may have been a
    name or a serial); left blank, the look-up is the number."""

    caller_number = Text(load_default="", validate=validate.Length(max=40))
    note = Text(load_default="", validate=validate.Length(max=MAX_NOTE))
    description = Text(load_default="", validate=validate.Length(max=4000))
    customer_id = Int(load_default=None)
    type = fields.String(load_default="repair", validate=validate.OneOf(TICKET_TYPES))
    priority = fields.String(load_default="normal", validate=validate.OneOf(PRIORITIES))
    serial = Text(load_default=None, validate=validate.Length(max=64))
    outlet_id = Int(load_default=None)


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
    call_id = Int(data_key="call", load_default=None)
    caller_number = Text(load_default=None, validate=validate.Length(min=1, max=40))


class CallLogQuerySchema(CallQuerySchema):
    """The call log page's filters: the number as typed, in `number`."""

    caller_number = CallerNumber(strict=False, data_key="number", load_default=None)


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
