from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate

from aftersales.complaints.models import (
    Category,
    Channel,
    ComplaintState,
    Severity,
)
from aftersales.complaints.queries import ARCHIVE_PARTS
from aftersales.complaints.services import MAX_TEXT
from aftersales.core.errors import ValidationFailed
from aftersales.core.fields import Day, Int, LocalMoment, Text, UploadedFile, Yuan
from aftersales.core.pagination import PageArgsSchema, page_schema
from aftersales.tickets.services import ticket_id_of_number

_MOMENT = {"format": "iso"}
_TEXT = validate.Length(max=MAX_TEXT)


class ComplaintInSchema(Schema):
    channel = fields.String(required=True, validate=Channel.validator())
    category = fields.String(required=True, validate=Category.validator())
    severity = fields.String(load_default="normal", validate=Severity.validator())
    customer_id = Int(required=True)
    summary = Text(required=True, validate=validate.Length(min=1, max=200))
    description = Text(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    received_at = fields.AwareDateTime(
        load_default=None, allow_none=True, **_MOMENT,
        metadata={"description": "When the customer complained; the clocks start here. "
                                 "Now when left out."},
    )
    received_by_id = Int(load_default=None, allow_none=True)
    ticket_id = Int(load_default=None, allow_none=True)
    product_id = Int(load_default=None, allow_none=True)
    outlet_id = Int(load_default=None, allow_none=True)
    handler_id = Int(load_default=None, allow_none=True)
    external_ref = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=100))


class WorkOrderNumber(Text):
    """A work order as the page shows its number ("WO00000731"; "wo731" and "731" too),
    loaded as its id; blank is none."""

    def _deserialize(self, value, attr, data, **kwargs) -> int | None:
        typed = super()._deserialize(value, attr, data, **kwargs)
        if not typed:
            return None
        try:
            return ticket_id_of_number(typed)
        except ValidationFailed as problem:
            raise ValidationError(str(problem.message)) from problem


class ComplaintFormSchema(ComplaintInSchema):
    """The intake page's form: the time received is typed in local time, the work order by
    its number."""

    received_at = LocalMoment(load_default=None)
    ticket_id = WorkOrderNumber(load_default=None)


class NewComplaintQuerySchema(Schema):
    """The intake page's address: the customer chosen, or the words to find one by."""

    customer_id = Int(load_default=None)
    customer_q = Text(load_default="", validate=validate.Length(max=100))


class TextInSchema(Schema):
    text = fields.String(required=True, validate=_TEXT)


class ReasonInSchema(Schema):
    reason = fields.String(required=True, validate=_TEXT)


class EscalateFormSchema(Schema):
    """The page's escalation: its reason has its own input, apart from the pause's."""

    escalation_reason = Text(required=True, validate=validate.Length(min=1, max=MAX_TEXT))


class AssignInSchema(Schema):
    handler_id = Int(required=True)


class ResolveInSchema(Schema):
    resolution = fields.String(required=True, validate=_TEXT)
    root_cause = fields.String(required=True, validate=_TEXT)
    corrective_action = fields.String(load_default=None, allow_none=True, validate=_TEXT)
    compensation_fen = Int(load_default=0, validate=validate.Range(min=0))
    compensation_note = fields.String(load_default=None, allow_none=True,
                                      validate=validate.Length(max=200))
    improvement_action_id = Int(
        load_default=None, allow_none=True,
        metadata={"description": "The improvement action record (clause 5.1.6.1), by id."},
    )


class MediateInSchema(Schema):
    mediator = Text(required=True, validate=validate.Length(min=1, max=100))
    note = fields.String(required=True, validate=_TEXT)


class ResolveFormSchema(ResolveInSchema):
    """The page's resolve form: the compensation is typed in yuan."""

    compensation_fen = Yuan(load_default=0, data_key="compensation")


class MediateFormSchema(MediateInSchema):
    """The page's mediation form: its note is named apart from the page's other notes."""

    note = fields.String(required=True, validate=_TEXT, data_key="mediation_note")


class ConfirmInSchema(Schema):
    accepted = fields.Boolean(required=True)
    satisfaction = Int(load_default=None, allow_none=True,
                                  validate=validate.Range(min=1, max=5))
    feedback = fields.String(load_default=None, allow_none=True, validate=_TEXT)


class CloseInSchema(Schema):
    note = fields.String(required=True, validate=_TEXT)


# The handling steps the complaint page posts (its hidden `step` input), each with the
# schema of the form that takes it.
STEP_FORMS = {
    "acknowledge": TextInSchema, "note": TextInSchema, "assign": AssignInSchema,
    "pause": ReasonInSchema, "resume": Schema, "resolve": ResolveFormSchema,
    "mediate": MediateFormSchema, "confirm": ConfirmInSchema, "close": CloseInSchema,
    "reopen": ReasonInSchema, "escalate": EscalateFormSchema,
}


class HandlingStepSchema(Schema):
    step = fields.String(required=True, validate=validate.OneOf(tuple(STEP_FORMS)))


class ClockOutSchema(Schema):
    cycle = Int()
    kind = fields.String()
    calendar = fields.String()
    started_at = fields.DateTime()
    target_seconds = Int()
    due_at = fields.DateTime(allow_none=True, metadata={"description": "None while paused."})
    calendar_guessed = fields.Boolean(metadata={
        "description": "Counted over a year whose holiday schedule was not entered."})
    stopped_at = fields.DateTime(allow_none=True)
    met = fields.Boolean(allow_none=True)
    elapsed_seconds = Int(allow_none=True)
    variance_seconds = Int(
        allow_none=True, metadata={"description": "Counted seconds late (+) or early (-)."}
    )
    paused_seconds = Int()


class PauseOutSchema(Schema):
    id = Int()
    cycle = Int()
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    reason = fields.String()


class EventOutSchema(Schema):
    id = Int()
    cycle = Int()
    at = fields.DateTime()
    actor_label = fields.String()
    kind = fields.String()
    text = fields.String(allow_none=True)


class EscalationOutSchema(Schema):
    cycle = Int()
    step_key = fields.String()
    clock_kind = fields.String()
    recipient_role = fields.String()
    due_at = fields.DateTime()
    fired_at = fields.DateTime()
    notified = Int()


class AttachmentOutSchema(Schema):
    id = Int()
    filename = fields.String()
    media_type = fields.String()
    size_bytes = Int()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()


class ComplaintOutSchema(Schema):
    id = Int()
    number = fields.String()
    channel = fields.String()
    category = fields.String()
    severity = fields.String()
    state = fields.String()
    calendar = fields.String()
    cycle = Int()
    summary = fields.String()
    description = fields.String()
    external_ref = fields.String(allow_none=True)
    customer_id = Int()
    ticket_id = Int(allow_none=True)
    product_id = Int(allow_none=True)
    outlet_id = Int(allow_none=True)
    received_at = fields.DateTime()
    received_by_id = Int(allow_none=True)
    entered_at = fields.DateTime()
    entered_by_id = Int(allow_none=True)
    handler_id = Int(allow_none=True)
    next_due_at = fields.DateTime(allow_none=True)
    paused_since = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    acknowledgement = fields.String(allow_none=True)
    root_cause = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    corrective_action = fields.String(allow_none=True)
    improvement_action_id = Int(allow_none=True)
    compensation_fen = Int()
    compensation_note = fields.String(allow_none=True)
    mediator = fields.String(allow_none=True)
    mediation_note = fields.String(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    customer_confirmed_at = fields.DateTime(allow_none=True)
    satisfaction = Int(allow_none=True)
    customer_feedback = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class ComplaintDetailSchema(ComplaintOutSchema):
    clocks = fields.List(fields.Nested(ClockOutSchema))
    pauses = fields.List(fields.Nested(PauseOutSchema))
    timeline = fields.List(fields.Nested(EventOutSchema))
    escalations = fields.List(fields.Nested(EscalationOutSchema))
    attachments = fields.List(fields.Nested(AttachmentOutSchema))
    archive_gaps = fields.List(fields.String(validate=validate.OneOf(ARCHIVE_PARTS)))


ComplaintPageSchema = page_schema(ComplaintOutSchema)


class ComplaintQuerySchema(PageArgsSchema):
    state = fields.String(load_default=None, validate=ComplaintState.validator())
    category = fields.String(load_default=None, validate=Category.validator())
    severity = fields.String(load_default=None, validate=Severity.validator())
    channel = fields.String(load_default=None, validate=Channel.validator())
    outlet_id = Int(data_key="outlet", load_default=None)
    customer_id = Int(data_key="customer", load_default=None)
    handler_id = Int(data_key="handler", load_default=None)


class QueueQuerySchema(Schema):
    mine = fields.Boolean(load_default=False)


class QueueItemSchema(ComplaintOutSchema):
    seconds_to_breach = Int(
        allow_none=True,
        metadata={"description": "Until the running clock is due; negative when overdue, "
                                 "none while paused."},
    )


class QueueSchema(Schema):
    items = fields.List(fields.Nested(QueueItemSchema))


class ArchiveGapSchema(Schema):
    complaint = fields.Nested(ComplaintOutSchema)
    missing = fields.List(fields.String())


class ArchiveGapPageSchema(Schema):
    items = fields.List(fields.Nested(ArchiveGapSchema))
    next_cursor = fields.String(allow_none=True)


class BoardQuerySchema(Schema):
    first_day = Day(data_key="from", required=True)
    last_day = Day(data_key="to", required=True)


class BoardPageQuerySchema(Schema):
    """The board page's period; a day left out is the last year's."""

    first_day = Day(data_key="from", load_default=None)
    last_day = Day(data_key="to", load_default=None)


class BoardRowSchema(Schema):
    key = fields.String(allow_none=True)
    label = fields.String(allow_none=True)
    received = Int()
    responded_24h = Int()
    response_due = Int()
    response_24h_rate = fields.Float(allow_none=True)
    response_met = Int()
    response_met_rate = fields.Float(allow_none=True)
    resolved = Int()
    resolution_rate = fields.Float(allow_none=True)
    resolution_met = Int()
    resolution_met_rate = fields.Float(allow_none=True)
    average_response_hours = fields.Float(allow_none=True)
    average_resolution_hours = fields.Float(allow_none=True)
    repeat = Int()
    reopened = Int()
    average_satisfaction = fields.Float(allow_none=True)


class BoardSchema(Schema):
    start = fields.DateTime()
    end = fields.DateTime()
    total = fields.Nested(BoardRowSchema)
    by_category = fields.List(fields.Nested(BoardRowSchema))
    by_outlet = fields.List(fields.Nested(BoardRowSchema))


class UploadSchema(Schema):
    file = Upload(load_default=None)


class AttachmentFormSchema(Schema):
    file = UploadedFile(load_default=None)


class AppointMediatorInSchema(Schema):
    user_id = Int(required=True, validate=validate.Range(min=1))
    appointed_on = Day(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))


class EndAppointmentInSchema(Schema):
    ended_on = Day(required=True)


class MediatorAppointmentOutSchema(Schema):
    id = Int()
    user_id = Int()
    mediator = fields.Function(lambda appointment: appointment.user.display_name)
    appointed_on = Day()
    ended_on = Day(allow_none=True)
    note = fields.String()
    appointed_by_id = Int()
    appointed_at = fields.DateTime()
