"""In-app notifications, each with the e-mail that carries it (if any)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.core.clock import utcnow
from aftersales.core.types import BIG_ID, UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db


class EmailState(Vocabulary):
    NONE = "none"
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


EMAIL_STATES = EmailState.codes()


class Notification(db.Model):
    """Not Audited: a notification is the consequence of an audited change, not a change."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The once-only guarantee: a repeated notify() with the same key inserts nothing.
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_email_state", "email_state", "id"),
        CheckConstraint(
            EmailState.check("email_state"), name="email_state"
        ),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The message ids and values of subject and body (notifications/messages.py), read in
    # each reader's language; None on rows from before, which show subject and body as is.
    message_json: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_to: Mapped[str | None] = mapped_column(String(254))
    email_state: Mapped[str] = mapped_column(String(8), default="none")
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_error: Mapped[str | None] = mapped_column(String(500))
