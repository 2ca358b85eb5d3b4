"""What the meetings API reads and writes."""

from marshmallow import Schema, fields, validate

from aftersales.core.fields import Day, Int, Text, UploadedFile
from aftersales.core.pagination import page_schema


class MeetingFormSchema(Schema):
    """A meeting as a form or a multipart request gives it (the minutes file apart)."""

    held_on = Day(required=True)
    topic = Text(required=True, validate=validate.Length(min=1, max=200))
    place = Text(required=True, validate=validate.Length(min=1, max=200))
    attendees = fields.String(
        required=True, validate=validate.Length(min=1, max=100_000),
        metadata={"description": "The customers who came, one per line"})


class MinutesFileSchema(Schema):
    file = UploadedFile(required=True)


class OptionalMinutesFileSchema(Schema):
    file = UploadedFile(load_default=None)


class RecordMeetingFormSchema(MeetingFormSchema, OptionalMinutesFileSchema):
    """The page's form: the meeting and, if one was chosen, its minutes, in one post."""


class MeetingOutSchema(Schema):
    id = Int()
    held_on = Day()
    topic = fields.String()
    place = fields.String()
    attendees = fields.Method("_attendees")
    attendee_count = Int()
    has_minutes = fields.Boolean()
    minutes_filename = fields.String(allow_none=True)
    minutes_sha256 = fields.String(allow_none=True)
    recorded_by_id = Int()
    recorded_at = fields.DateTime()

    def _attendees(self, meeting) -> list[str]:
        return meeting.attendees.splitlines()


MeetingPageSchema = page_schema(MeetingOutSchema)
