"""Recording customer meetings and reading the register. A meeting is the company's, so
whoever records one acts for the whole company (an enterprise-wide grant); it is held on
a past or present day, someone came, and it counts as evidence once its minutes are
attached (checked by content, stored by their SHA-256)."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from aftersales.core.clock import local_today
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.permissions import scope_of
from aftersales.core.storage import storage
from aftersales.core.uploads import DOCUMENTS, check_upload, upload_limit
from aftersales.meetings.models import CustomerMeeting

MAX_ATTENDEES = 500


@dataclass(frozen=True)
class Minutes:
    filename: str
    content: bytes


def _text(value: str | None, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_l("Fill this in."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_l("At most %(n)d characters.", n=limit), field=field)
    return value


def attendee_lines(attendees: str | None) -> list[str]:
    """One attendee per non-empty line."""
    lines = [line.strip() for line in (attendees or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationFailed(_l("Name at least one customer who came, one per line."),
                               field="attendees")
    if len(lines) > MAX_ATTENDEES or any(len(line) > 200 for line in lines):
        raise ValidationFailed(
            _l("At most %(n)d attendees of 200 characters each.", n=MAX_ATTENDEES),
            field="attendees")
    return lines


def _check_recorder(actor) -> None:
    if not scope_of(actor, "meetings.write").everywhere:
        raise PermissionDenied(_l("A customer meeting is the company's: it is recorded by "
                                  "someone who acts for the whole company."))


def _store_minutes(meeting: CustomerMeeting, minutes: Minutes) -> None:
    meeting.minutes_content_type = check_upload(minutes.content, DOCUMENTS, upload_limit())
    meeting.minutes_file_key = storage().write(minutes.content)
    meeting.minutes_sha256 = meeting.minutes_file_key
    name = (minutes.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    meeting.minutes_filename = name[-200:] or "minutes"


def record_meeting(session: Session, actor, held_on: date, topic: str, place: str,
                   attendees: str, minutes: Minutes | None = None) -> CustomerMeeting:
    _check_recorder(actor)
    if held_on > local_today():
        raise ValidationFailed(_l("A meeting is recorded once it has been held."),
                               field="held_on")
    lines = attendee_lines(attendees)
    meeting = CustomerMeeting(
        held_on=held_on, topic=_text(topic, "topic", 200), place=_text(place, "place", 200),
        attendees="\n".join(lines), attendee_count=len(lines), recorded_by_id=actor.id,
    )
    if minutes is not None:
        _store_minutes(meeting, minutes)
    session.add(meeting)
    session.flush()
    return meeting


def attach_minutes(session: Session, actor, meeting: CustomerMeeting,
                   minutes: Minutes) -> CustomerMeeting:
    """The minutes of a meeting recorded without them. Minutes once attached stay: the
    audit package cites them by their SHA-256."""
    _check_recorder(actor)
    if meeting.has_minutes:
        raise Conflict(_l("This meeting's minutes are attached already."), field="file")
    _store_minutes(meeting, minutes)
    session.flush()
    return meeting


def get_meeting(session: Session, meeting_id: int) -> CustomerMeeting:
    meeting = session.get(CustomerMeeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("There is no such customer meeting."))
    return meeting


def minutes_content(meeting: CustomerMeeting) -> bytes:
    if not meeting.has_minutes:
        raise NotFound(_l("This meeting has no minutes yet."))
    return storage().read(meeting.minutes_file_key)


def list_meetings(session: Session, cursor: str | None = None, limit: int = 50) -> Page:
    return keyset_page(session, select(CustomerMeeting), CustomerMeeting.id, cursor, limit)


def evidenced_between(first_day: date, last_day: date) -> Select:
    """Ids of the meetings held between the two days (both included) whose minutes are
    attached: those that count."""
    return select(CustomerMeeting.id).where(
        CustomerMeeting.held_on >= first_day, CustomerMeeting.held_on <= last_day,
        CustomerMeeting.minutes_file_key.is_not(None))


def count_evidenced(session: Session, first_day: date, last_day: date) -> int:
    held = evidenced_between(first_day, last_day).subquery()
    return session.scalar(select(func.count()).select_from(held))
