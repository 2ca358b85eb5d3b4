"""/api/v1/meetings: the customer-meeting register (clause 5.3.1.5)."""

from flask import Response
from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.openapi import ANY_FILE, file_download
from aftersales.core.pagination import PageArgsSchema
from aftersales.evidence import storage
from aftersales.extensions import db
from aftersales.meetings import services
from aftersales.meetings.blueprint import blp
from aftersales.meetings.schemas import (
    MeetingFormSchema,
    MeetingOutSchema,
    MeetingPageSchema,
    MinutesFileSchema,
    OptionalMinutesFileSchema,
)


def minutes_of(upload) -> services.Minutes | None:
    if upload is None:
        return None
    return services.Minutes(upload.filename or "minutes", upload.read())


@blp.route("")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, MeetingPageSchema)
@requires("meetings.read")
def list_meetings(args):
    """Newest first."""
    return services.list_meetings(db.session, args["cursor"], args["limit"])


@blp.route("", methods=["POST"])
@blp.arguments(MeetingFormSchema, location="form")
@blp.arguments(OptionalMinutesFileSchema, location="files")
@blp.response(201, MeetingOutSchema)
@requires("meetings.write")
def record_meeting(data, files):
    """Record a meeting held (multipart: held_on, topic, place, attendees one per line, and
    optionally file: its minutes as PDF, image or Office file)."""
    return services.record_meeting(db.session, current_user, **data,
                                   minutes=minutes_of(files["file"]))


@blp.route("/<int:meeting_id>")
@blp.response(200, MeetingOutSchema)
@requires("meetings.read")
def get_meeting(meeting_id):
    return services.get_meeting(db.session, meeting_id)


@blp.route("/<int:meeting_id>/minutes", methods=["POST"])
@blp.arguments(MinutesFileSchema, location="files")
@blp.response(200, MeetingOutSchema)
@requires("meetings.write")
def attach_minutes(files, meeting_id):
    """Attach the minutes to a meeting recorded without them (once)."""
    meeting = services.get_meeting(db.session, meeting_id)
    return services.attach_minutes(db.session, current_user, meeting, minutes_of(files["file"]))


@blp.route("/<int:meeting_id>/minutes")
@blp.doc(**file_download(ANY_FILE, description="The minutes as uploaded."))
@requires("meetings.read")
def minutes_file(meeting_id):
    return minutes_response(services.get_meeting(db.session, meeting_id))


def minutes_response(meeting) -> Response:
    """The minutes file, downloaded under a name of ours (never the uploaded name in a
    header) and never rendered inline."""
    response = Response(services.minutes_content(meeting),
                        mimetype=meeting.minutes_content_type)
    extension = storage.EXTENSIONS.get(meeting.minutes_content_type, "")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="meeting-{meeting.held_on.isoformat()}-minutes{extension}"')
    return response
