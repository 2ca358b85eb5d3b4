"""What the portal keeps of its own: each anonymous authenticity check, when and whether
the code was ours — never the code, nor who asked (clause 5.3.1.1: the channel is there
and used)."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from aftersales.core.clock import utcnow
from aftersales.core.types import UTCDateTime
from aftersales.extensions import db


class AuthenticityCheck(db.Model):
    __tablename__ = "portal_authenticity_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    genuine: Mapped[bool] = mapped_column()
