"""Complaints, their service-level clocks (one pair per cycle: reopening starts a new
cycle and keeps the old clocks), pauses, the timeline and the escalation ledger."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited, User
from aftersales.core.types import BIG_ID, UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db


class Channel(Vocabulary):
    HOTLINE = "hotline", _l("Hotline")
    PORTAL = "portal", _l("Online portal")
    EMAIL = "email", _l("E-mail")
    ON_SITE = "on_site", _l("In person, on site")
    SOCIAL_MEDIA = "social_media", _l("Social media")
    REGULATOR = "regulator", _l("Regulator referral (12315)")


CHANNELS = Channel.codes()


class Category(Vocabulary):
    PRODUCT_QUALITY = "product_quality", _l("Product quality")
    REPAIR_QUALITY = "repair_quality", _l("Repair quality")
    SERVICE_ATTITUDE = "service_attitude", _l("Service attitude")
    TIMELINESS = "timeliness", _l("Timeliness")
    FEES = "fees", _l("Fees")
    DELIVERY_INSTALLATION = "delivery_installation", _l("Delivery and installation")
    OTHER = "other", _l("Other")


CATEGORIES = Category.codes()


class Severity(Vocabulary):
    CRITICAL = "critical", _l("Critical")
    SERIOUS = "serious", _l("Serious")
    NORMAL = "normal", _l("Normal")
    MINOR = "minor", _l("Minor")


SEVERITIES = Severity.codes()


class ComplaintState(Vocabulary):
    RECEIVED = "received", _l("Awaiting response")
    ACKNOWLEDGED = "acknowledged", _l("Being handled")
    RESOLVED = "resolved", _l("Resolved, awaiting confirmation")
    CLOSED = "closed", _l("Closed")


STATES = ComplaintState.codes()
OPEN_STATES = ("received", "acknowledged")


class ClockKind(Vocabulary):
    RESPONSE = "response", _l("First response")
    RESOLUTION = "resolution", _l("Resolution")


CLOCK_KINDS = ClockKind.codes()


class ClockCalendar(Vocabulary):
    CLOCK = "clock"
    BUSINESS = "business"


CALENDARS = ClockCalendar.codes()


class EventKind(Vocabulary):
    RECEIVED = "received", _l("Received")
    ACKNOWLEDGED = "acknowledged", _l("Responded")
    NOTE = "note", _l("Note")
    PAUSED = "paused", _l("Waiting for the customer")
    RESUMED = "resumed", _l("Resumed")
    RESOLVED = "resolved", _l("Resolved")
    MEDIATED = "mediated", _l("Mediation")
    CONFIRMED = "confirmed", _l("Customer confirmed")
    CLOSED = "closed", _l("Closed")
    REOPENED = "reopened", _l("Reopened")
    ESCALATED = "escalated", _l("Escalated")
    ATTACHED = "attached", _l("Attachment")


EVENT_KINDS = EventKind.codes()


class Complaint(Audited, db.Model):
    """One complaint. The clocks start when it was received (received_at), which may be
    before it was entered (entered_at); both are kept. next_due_at is the due time of the
    clock now running (None while paused or when no clock runs): the queue sorts on it.

    The board sums this table alone (complaints/figures.py), so each complaint also keeps
    what it would otherwise join and window for, written in the transaction that decides
    it: the received time of the customer's previous complaint (in received order, at any
    outlet), the first cycle's response outcome and the current cycle's resolution outcome
    (met, counted seconds; None while that clock runs)."""

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint(Channel.check("channel"), name="known_channel"),
        CheckConstraint(Category.check("category"), name="known_category"),
        CheckConstraint(Severity.check("severity"), name="known_severity"),
        CheckConstraint(ComplaintState.check("state"), name="known_state"),
        CheckConstraint(ClockCalendar.check("calendar"), name="known_calendar"),
        CheckConstraint("received_at <= entered_at", name="received_before_entered"),
        CheckConstraint("compensation_fen >= 0", name="compensation_not_negative"),
        CheckConstraint(
            "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction_range"
        ),
        CheckConstraint("cycle >= 1", name="cycle_positive"),
        Index("ix_complaints_state_next_due_at", "state", "next_due_at"),
        Index("ix_complaints_received_at", "received_at"),
        Index("ix_complaints_customer_id_received_at", "customer_id", "received_at"),
        Index("ix_complaints_outlet_id_id", "outlet_id", "id"),
        Index("ix_complaints_handler_id_state", "handler_id", "state"),
        Index("ix_complaints_state_closed_at", "state", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(16), default="received")
    calendar: Mapped[str] = mapped_column(String(10), default="clock")
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # A regulator's or platform's own reference (12315 case number, post URL ...).
    external_ref: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Handling.
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledgement: Mapped[str | None] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
    corrective_action: Mapped[str | None] = mapped_column(Text)
    # The improvement action record (clause 5.1.6.1) lives in the evidence engine; its id
    # only, without a foreign key, until that table exists.
    improvement_action_id: Mapped[int | None] = mapped_column(Integer)
    compensation_fen: Mapped[int] = mapped_column(Integer, default=0)
    compensation_note: Mapped[str | None] = mapped_column(String(200))
    mediator: Mapped[str | None] = mapped_column(String(100))
    mediation_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    customer_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    customer_feedback: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Stored for the board (see the class docstring).
    previous_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_met: Mapped[bool | None] = mapped_column()
    first_response_seconds: Mapped[int | None] = mapped_column(Integer)
    resolution_met: Mapped[bool | None] = mapped_column()
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)

    @property
    def number(self) -> str:
        return complaint_number(self.id)


def complaint_number(complaint_id: int) -> str:
    """A complaint as people name it (TS00000594)."""
    return f"TS{complaint_id:08d}"


class ComplaintClock(Audited, db.Model):
    """One clock of one cycle: first response or resolution. Its due time moves with
    every pause (None while a pause is open); met and variance are stored when it stops.
    variance_seconds counts calendar time: negative early, positive late."""

    __tablename__ = "complaint_clocks"
    __table_args__ = (
        UniqueConstraint("complaint_id", "cycle", "kind", name="uq_complaint_clock"),
        CheckConstraint(ClockKind.check("kind"), name="known_kind"),
        CheckConstraint(ClockCalendar.check("calendar"), name="known_calendar"),
        CheckConstraint("target_seconds > 0", name="positive_target"),
        CheckConstraint("(stopped_at IS NULL) = (met IS NULL)", name="stopped_has_outcome"),
        # The escalation ladder reads the running clocks of one kind, every minute: a
        # partial index of those few rows (the open complaints'), holding what it reads.
        Index("ix_complaint_clocks_running", "kind", "id",
              postgresql_where=text("stopped_at IS NULL"),
              sqlite_where=text("stopped_at IS NULL"),
              postgresql_include=["complaint_id", "cycle", "calendar", "started_at",
                                  "target_seconds"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    calendar: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    target_seconds: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    met: Mapped[bool | None] = mapped_column()
    elapsed_seconds: Mapped[int | None] = mapped_column(Integer)
    variance_seconds: Mapped[int | None] = mapped_column(Integer)
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    # Counted over a year whose holiday schedule nobody had entered (Monday to Friday
    # assumed): shown on the complaint and in the report.
    calendar_guessed: Mapped[bool] = mapped_column(default=False)


class ComplaintPause(Audited, db.Model):
    """Waiting for the customer: both running clocks stand still from start to end."""

    __tablename__ = "complaint_pauses"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        Index("ix_complaint_pauses_complaint_id_cycle", "complaint_id", "cycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ComplaintEvent(Audited, db.Model):
    """The timeline: every step, investigation note and escalation, append-only."""

    __tablename__ = "complaint_events"
    __table_args__ = (
        CheckConstraint(EventKind.check("kind"), name="known_kind"),
        Index("ix_complaint_events_complaint_id_id", "complaint_id", "id"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)


class ComplaintEscalation(Audited, db.Model):
    """One step of the escalation ladder that fired; append-only, like the timeline (which
    records it too). The unique key is what makes a step fire exactly once per cycle,
    whichever process or restart gets there first."""

    __tablename__ = "complaint_escalations"
    __table_args__ = (
        UniqueConstraint("complaint_id", "cycle", "step_key", name="uq_complaint_escalation"),
        CheckConstraint("notified >= 0", name="notified_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column(Integer)
    step_key: Mapped[str] = mapped_column(String(32))
    clock_kind: Mapped[str] = mapped_column(String(10))
    recipient_role: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notified: Mapped[int] = mapped_column(Integer, default=0)


class ComplaintAttachment(Audited, db.Model):
    """A letter, photo or PDF kept with the complaint (the archive needs one at least).
    Its bytes are in the storage service under their SHA-256; served only to permitted
    roles."""

    __tablename__ = "complaint_attachments"
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="not_empty"),
        Index("ix_complaint_attachments_complaint_id", "complaint_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MediatorAppointment(Audited, db.Model):
    """A member of staff appointed as a service mediator (clause 5.3.2.3), from one day to
    another (open: still in office). The register, not names typed on complaints, is what
    the evidence counts."""

    __tablename__ = "complaint_mediator_appointments"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= appointed_on", name="ends_after_start"),
        Index("ix_complaint_mediator_appointments_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    appointed_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    appointed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
