"""The customer-meeting register (clause 5.3.1.5; seed 000: two meetings a year): what a
meeting needs, who records it, and the figure, counted by hand."""

import pytest
from sqlalchemy import select

from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.evidence.compliance import registry
from aftersales.evidence.compliance.registry import Period
from aftersales.extensions import db
from aftersales.meetings import services
from aftersales.meetings.models import CustomerMeeting
from tests.evidence.factories import days_ago
from tests.factories import make_outlet, make_user

PDF = b"%PDF-1.4\n% minutes\n"


def held(days, minutes=True, attendees="王芳, 业主代表\n刘建国, 用户代表"):
    meeting = services.record_meeting(
        db.session, make_user("manager"), days_ago(days), "客户恳谈会", "北京总部", attendees,
        services.Minutes("纪要.pdf", PDF) if minutes else None)
    db.session.commit()
    return meeting


def figure(days=90):
    period = Period.ending(days_ago(0), days)
    return registry.registered()["meetings.customer_meetings"].func(db.session, period, 2.0)


def test_the_figure_counts_meetings_with_minutes_in_the_year_to_the_periods_end():
    counted = [held(10), held(200)]
    held(30, minutes=False)  # minutes not attached: not counted
    held(370)  # more than a year before the period's end
    measured = figure()
    assert measured.value == 2.0
    assert sorted(db.session.scalars(measured.records)) == sorted(m.id for m in counted)


def test_a_quarter_ending_a_year_ago_looks_back_from_its_own_last_day():
    held(370)
    period = Period.ending(days_ago(365), 90)
    measured = registry.registered()["meetings.customer_meetings"].func(db.session, period, 2)
    assert measured.value == 1.0


def test_no_meeting_is_a_zero_not_no_data():
    assert figure().value == 0.0


def test_attendees_are_counted_one_per_line():
    meeting = held(5, attendees="王芳\n\n  刘建国  \n陈晓")
    assert meeting.attendee_count == 3
    assert meeting.attendees == "王芳\n刘建国\n陈晓"


def test_a_meeting_nobody_came_to_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        held(5, attendees="  \n ")
    assert refused.value.field == "attendees"


def test_a_meeting_is_recorded_once_held():
    with pytest.raises(ValidationFailed) as refused:
        held(-1)
    assert refused.value.field == "held_on"


def test_minutes_are_checked_by_content():
    with pytest.raises(ValidationFailed) as refused:
        services.record_meeting(db.session, make_user("manager"), days_ago(1), "恳谈会", "北京",
                                "王芳", services.Minutes("minutes.pdf", b"MZ not a pdf"))
    assert refused.value.field == "file"
    assert db.session.scalar(select(CustomerMeeting.id)) is None


def test_minutes_attached_later_count_and_stay():
    meeting = held(20, minutes=False)
    manager = make_user("manager")
    services.attach_minutes(db.session, manager, meeting, services.Minutes("纪要.pdf", PDF))
    db.session.commit()
    assert figure().value == 1.0
    assert services.minutes_content(meeting) == PDF
    with pytest.raises(Conflict):
        services.attach_minutes(db.session, manager, meeting, services.Minutes("b.pdf", PDF))


def test_an_outlet_manager_may_not_record_the_companys_meeting():
    outlet_manager = make_user("manager", outlet_id=make_outlet().id)
    with pytest.raises(PermissionDenied):
        services.record_meeting(db.session, outlet_manager, days_ago(1), "恳谈会", "北京",
                                "王芳")


def test_the_package_hides_who_came():
    kind = registry.kind_of("customer_meetings")
    assert {"attendees", "minutes_file_key"} <= kind.hidden


def test_the_window_is_a_year_whatever_the_period():
    held(364)
    assert figure(days=7).value == 1.0
