"""Messages to customers, each stored before it is sent (the outbox), and the customers
who asked for no non-essential messages."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import BIG_ID, UTCDateTime
from aftersales.extensions import db
from aftersales.messaging.labels import Channel, MessageStatus


class OutgoingMessage(db.Model):
    """Not Audited: a message is the consequence of an audited change, and its row is its
    own record of what was sent, when, and what the provider answered."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (
        CheckConstraint(Channel.check("channel"), name="known_channel"),
        CheckConstraint(MessageStatus.check("status"), name="known_status"),
        CheckConstraint("language IN ('zh', 'en')", name="known_language"),
        # What the delivery job looks for: queued messages whose next attempt is due.
        Index("ix_outgoing_messages_status_due", "status", "next_attempt_at"),
        Index("ix_outgoing_messages_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))
    # Who it goes to: the customer (when known) and the address used (a phone number, an
    # e-mail address, or the customer's portal). Personal data: shown masked.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    recipient: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(64))
    values_json: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    # The words as the customer reads them, rendered when the message was queued.
    text: Mapped[str] = mapped_column(Text)
    essential: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MessagingOptOut(Audited, db.Model):
    """A customer who wants no non-essential messages (surveys, news); messages about their
    own service still reach them. Kept here, not on the customer: it is this module's rule."""

    __tablename__ = "messaging_opt_outs"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             primary_key=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
