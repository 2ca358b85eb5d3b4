"""Pages of the customer-meeting register: the meetings held, newest first, with a form to
record one (and its minutes); one meeting with its attendees and minutes."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.errors import ValidationFailed
from aftersales.core.forms import form_input, on_refusal, query_input, submitted
from aftersales.core.pagination import PageArgsSchema
from aftersales.extensions import db
from aftersales.meetings import api, services
from aftersales.meetings.blueprint import bp
from aftersales.meetings.evidence import YEAR_DAYS
from aftersales.meetings.schemas import OptionalMinutesFileSchema, RecordMeetingFormSchema


def _minutes(upload) -> services.Minutes | None:
    """The minutes file chosen, if any: a file input left empty sends a part without a
    name (a FileStorage is false then)."""
    return api.minutes_of(upload) if upload else None


def _render_index(errors=None, status=200):
    today = local_today()
    year_start = today - timedelta(days=YEAR_DAYS - 1)
    query, _errors = query_input(PageArgsSchema())  # a bad cursor starts from the top
    return render_template(
        "meetings/index.html", page=services.list_meetings(db.session, query["cursor"]),
        errors=errors or {}, form=submitted(), may_record=can(current_user, "meetings.write"),
        today=today, year_start=year_start,
        counted=services.count_evidenced(db.session, year_start, today),
    ), status


@bp.route("")
@requires("meetings.read")
def index():
    return _render_index()


@bp.route("", methods=["POST"])
@requires("meetings.write")
@on_refusal(_render_index)
def record():
    data = form_input(RecordMeetingFormSchema())
    minutes = _minutes(data.pop("file"))
    meeting = services.record_meeting(db.session, current_user, **data, minutes=minutes)
    flash(_("Customer meeting recorded."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>")
@requires("meetings.read")
def show(meeting_id, errors=None, status=200):
    meeting = services.get_meeting(db.session, meeting_id)
    return render_template("meetings/show.html", meeting=meeting, errors=errors or {},
                           may_record=can(current_user, "meetings.write")), status


@bp.route("/<int:meeting_id>/minutes", methods=["POST"])
@requires("meetings.write")
@on_refusal(lambda errors, status, meeting_id: show(meeting_id, errors, status))
def attach_minutes(meeting_id):
    meeting = services.get_meeting(db.session, meeting_id)
    minutes = _minutes(form_input(OptionalMinutesFileSchema())["file"])
    if minutes is None:
        raise ValidationFailed(_("Choose the minutes file."), field="file")
    services.attach_minutes(db.session, current_user, meeting, minutes)
    flash(_("Minutes attached."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/minutes")
@requires("meetings.read")
def minutes_file(meeting_id):
    return api.minutes_response(services.get_meeting(db.session, meeting_id))
