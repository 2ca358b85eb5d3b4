from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited, User
from aftersales.core.types import UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db


class Direction(Vocabulary):
    INBOUND = "inbound", _l("Inbound")
    OUTBOUND = "outbound", _l("Outbound")


DIRECTIONS = Direction.codes()


class CallOutcome(Vocabulary):
    ANSWERED = "answered", _l("Answered")
    MISSED = "missed", _l("Missed")
    ABANDONED = "abandoned", _l("Abandoned")
    CALLED_BACK = "called_back", _l("Called back")


OUTCOMES = CallOutcome.codes()
# A call nobody answered: the customer is owed a callback.
UNANSWERED = ("missed", "abandoned")
WAITING = ("direction = 'inbound' AND outcome IN ('missed', 'abandoned') "
           "AND reached_at IS NULL")


class Call(Audited, db.Model):
    """One hotline call, inbound or outbound, as the call centre saw it.

    wait_seconds and within_hotline_hours are computed by the service when the call is
    logged (never typed), so the figures are plain aggregates over stored columns.
    """

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(Direction.check("direction"), name="known_direction"),
        CheckConstraint(CallOutcome.check("outcome"), name="known_outcome"),
        CheckConstraint("wait_seconds >= 0", name="wait_not_negative"),
        CheckConstraint(
            "(outcome = 'answered') = (answered_at IS NOT NULL)", name="answered_has_time"
        ),
        CheckConstraint(
            "answered_at IS NULL OR answered_at >= queued_at", name="answered_after_queued"
        ),
        CheckConstraint("ended_at IS NULL OR ended_at >= queued_at", name="ended_after_queued"),
        # Settling a missed call's callback looks for later calls to the same number.
        Index("ix_calls_caller_number_queued_at", "caller_number", "queued_at"),
        # The callback queue: the few missed calls nobody has reached yet, oldest first.
        Index("ix_calls_waiting_for_callback", "queued_at", "id",
              postgresql_where=text(WAITING), sqlite_where=text(WAITING)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))
    # Digits only (+86 dropped), as the customer's phone appears to the call centre.
    caller_number: Mapped[str] = mapped_column(String(20))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wait_seconds: Mapped[int] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    within_hotline_hours: Mapped[bool] = mapped_column()
    # A missed inbound call: when a callback first reached the caller (an answered outbound
    # call returning it, or to its number after it); kept by the service as calls are
    # logged, so the queue and the figures read a column instead of searching later calls.
    reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The missed inbound call an outbound call returns.
    callback_of_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    # The work order the call opened, when the agent opened one during it.
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agent: Mapped[User | None] = relationship(lazy="raise")
    # Named by string: the customers module owns the class, and calls does not import it.
    customer = relationship("Customer", lazy="raise")
