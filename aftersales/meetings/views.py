"""Pages of the customer-meeting register: the meetings held, newest first, with a form to
record one (and its minutes); one meeting with its attendees and minutes."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.forms import domain_errors, load_form
from aftersales.extensions import db
from aftersales.meetings import api, services
from aftersales.meetings.evidence import YEAR_DAYS
from aftersales.meetings.schemas import MeetingFormSchema

bp = Blueprint("meetings", __name__, url_prefix="/meetings", template_folder="templates")
FORM = MeetingFormSchema()


def _uploaded_minutes() -> services.Minutes | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return api.minutes_of(upload)


def _render_index(errors=None, form=None, status=200):
    today = local_today()
    year_start = today - timedelta(days=YEAR_DAYS - 1)
    return render_template(
        "meetings/index.html", page=services.list_meetings(db.session, request.args.get("cursor")),
        errors=errors or {}, form=form or {}, may_record=can(current_user, "meetings.write"),
        today=today, year_start=year_start,
        counted=services.count_evidenced(db.session, year_start, today),
    ), status


@bp.route("")
@requires("meetings.read")
def index():
    return _render_index()


@bp.route("", methods=["POST"])
@requires("meetings.write")
def record():
    form = request.form.to_dict()
    data, errors = load_form(FORM, form)
    if data is not None:
        try:
            meeting = services.record_meeting(db.session, current_user, **data,
                                              minutes=_uploaded_minutes())
        except DomainError as problem:
            return _render_index(domain_errors(problem), form, problem.status)
        flash(_("Customer meeting recorded."), "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _render_index(errors, form, 422)


@bp.route("/<int:meeting_id>")
@requires("meetings.read")
def show(meeting_id, errors=None, status=200):
    meeting = services.get_meeting(db.session, meeting_id)
    return render_template("meetings/show.html", meeting=meeting, errors=errors or {},
                           may_record=can(current_user, "meetings.write")), status


@bp.route("/<int:meeting_id>/minutes", methods=["POST"])
@requires("meetings.write")
def attach_minutes(meeting_id):
    meeting = services.get_meeting(db.session, meeting_id)
    minutes = _uploaded_minutes()
    try:
        if minutes is None:
            raise ValidationFailed(_("Choose the minutes file."), field="file")
        services.attach_minutes(db.session, current_user, meeting, minutes)
    except DomainError as problem:
        return show(meeting_id, domain_errors(problem), problem.status)
    flash(_("Minutes attached."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/minutes")
@requires("meetings.read")
def minutes_file(meeting_id):
    return api.minutes_response(services.get_meeting(db.session, meeting_id))
