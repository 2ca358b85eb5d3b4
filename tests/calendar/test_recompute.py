"""A calendar change moves the due times of running clocks, and never rewrites the outcome
a stopped clock stored: the record's timeline says so instead."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from aftersales.calendar import services
from aftersales.complaints import services as complaint_services
from aftersales.complaints.models import ComplaintEvent
from aftersales.core.calendar import WorkingHours
from aftersales.extensions import db
from aftersales.tickets.models import TicketEvent
from tests.complaints.factories import make_complaint
from tests.factories import make_outlet, make_ticket, make_user
from tests.tickets.test_sla import Clock, local, walk

KEPT = "已停止的时限考核结果保持停止时的计算结果"


def resolution_clock(complaint):
    return next(clock for clock in complaint_services.clocks_of(db.session, complaint.id)
                if clock.kind == "resolution")


def closure(day: date, outlet_id=None):
    return services.DayEntry(day, "closure", "盘点停业", outlet_id)


def test_a_closure_on_a_past_day_keeps_a_stopped_outcome_and_says_so(monkeypatch):
    people = make_user("dispatcher"), make_user("technician")
    clock = Clock(monkeypatch, "2026-11-23 09:00")  # Monday
    ticket = make_ticket(received_at=local("2026-11-23 09:00"))
    walk(ticket, clock, people, [("2026-11-23 14:30", "assigned")])
    assert ticket.response_met is True
    stored_due = ticket.response_due_at
    services.replace_year(db.session, 2026, [closure(date(2026, 11, 23))],
                          now=datetime(2026, 12, 1, tzinfo=UTC))
    db.session.commit()
    db.session.refresh(ticket)
    assert (ticket.response_met, ticket.response_due_at) == (True, stored_due)
    notes = db.session.scalars(select(TicketEvent.note)
                               .where(TicketEvent.ticket_id == ticket.id)).all()
    assert any(note and KEPT in note for note in notes)


def test_an_outlets_hours_move_only_its_own_work_orders():
    ours, theirs = make_outlet(), make_outlet()
    received = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # Monday 17:00 Beijing
    mine = make_ticket(outlet_id=ours.id, received_at=received, now=received)
    other = make_ticket(outlet_id=theirs.id, received_at=received, now=received)
    other_due = other.resolution_due_at
    full = "00:00-24:00"
    recomputed = services.set_hours(db.session, ours.id, WorkingHours.parse(
        f"workday={full};weekend={full};holiday={full}"))
    db.session.commit()
    assert recomputed == 1
    # 22.5 hours on the wall clock from Monday 17:00 Beijing.
    assert mine.resolution_due_at == received + timedelta(hours=22.5)
    assert other.resolution_due_at == other_due


def test_a_business_calendar_complaints_resolution_moves_with_a_closure():
    started = datetime(2026, 11, 6, 1, 0, tzinfo=UTC)  # Friday 09:00 Beijing
    complaint = make_complaint(calendar="business", severity="critical", now=started)
    resolution = resolution_clock(complaint)
    before = resolution.due_at
    services.replace_year(db.session, 2026, [closure(date(2026, 11, 9))],
                          now=datetime(2026, 11, 6, 2, 0, tzinfo=UTC))
    db.session.commit()
    db.session.refresh(resolution)
    # One working day (7.5 h) more before it is due: Monday 9 November is closed.
    assert resolution.due_at == before + timedelta(days=1)


def test_a_stopped_complaint_clock_keeps_its_outcome_and_its_timeline_says_so():
    started = datetime(2026, 11, 6, 1, 0, tzinfo=UTC)  # Friday 09:00 Beijing
    complaint = make_complaint(calendar="business", severity="critical", now=started)
    complaint_services.acknowledge(db.session, complaint, None, "已致歉",
                                   now=started + timedelta(hours=1))
    complaint_services.resolve(db.session, complaint, None, complaint_services.Resolution(
        resolution="更换整机", root_cause="压缩机批次缺陷", corrective_action="该批次召回检查",
        compensation_fen=0), now=started + timedelta(days=3))
    db.session.commit()
    resolution = resolution_clock(complaint)
    stored = (resolution.met, resolution.variance_seconds, resolution.due_at)
    services.replace_year(db.session, 2026, [closure(date(2026, 11, 6))],
                          now=datetime(2026, 12, 1, tzinfo=UTC))
    db.session.commit()
    db.session.refresh(resolution)
    assert (resolution.met, resolution.variance_seconds, resolution.due_at) == stored
    texts = db.session.scalars(select(ComplaintEvent.text)
                               .where(ComplaintEvent.complaint_id == complaint.id)).all()
    assert any(text and KEPT in text for text in texts)
