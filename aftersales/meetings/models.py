"""A customer meeting as it was held: its date, who came, and its minutes file."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.extensions import db


class CustomerMeeting(Audited, db.Model):
    __tablename__ = "customer_meetings"
    __table_args__ = (
        CheckConstraint("attendee_count > 0", name="someone_came"),
        Index("ix_customer_meetings_held_on", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    # The customers who came, one per line ("name, organisation"): personal data, shown
    # on the meeting's page to those who keep the register, never printed in a package.
    attendees: Mapped[str] = mapped_column(Text)
    attendee_count: Mapped[int] = mapped_column(Integer)
    # The minutes: what makes the meeting count. Stored by content (evidence storage).
    minutes_filename: Mapped[str | None] = mapped_column(String(200))
    minutes_content_type: Mapped[str | None] = mapped_column(String(100))
    minutes_file_key: Mapped[str | None] = mapped_column(String(64))
    minutes_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def has_minutes(self) -> bool:
        return self.minutes_file_key is not None
