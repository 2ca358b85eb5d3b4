"""Stored calendar entries (official holidays, make-up working days, closures) and
working hours (the company's, and an outlet's own)."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db

# holiday and workday: the State Council's schedule (workday: a make-up working day, 调休);
# closure: a day the company, or one outlet, does not work.


class DayKind(Vocabulary):
    HOLIDAY = "holiday", _l("Holiday")
    WORKDAY = "workday", _l("Make-up working day (调休)")
    CLOSURE = "closure", _l("Closure")


DAY_KINDS = DayKind.codes()


class CalendarDay(Audited, db.Model):
    """One date that differs from the package's knowledge or from a plain week."""

    __tablename__ = "calendar_days"
    __table_args__ = (
        CheckConstraint(DayKind.check("kind"), name="known_kind"),
        CheckConstraint("kind = 'closure' OR outlet_id IS NULL", name="official_is_company_wide"),
        # One entry per date for the company, and one per date for each outlet.
        UniqueConstraint("day", "outlet_key"),
        CheckConstraint("outlet_key = coalesce(outlet_id, 0)", name="outlet_key"),
        Index("ix_calendar_days_outlet_id_day", "outlet_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    # outlet_id, or 0 for the company: what the unique constraint compares (NULLs never clash).
    outlet_key: Mapped[int] = mapped_column(Integer)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkingHoursSetting(Audited, db.Model):
    """Working hours in the canonical text of core/calendar.py's WorkingHours: the
    company's (no outlet; absent: AFTERSALES_WORKING_HOURS) or one outlet's own."""

    __tablename__ = "working_hours"
    __table_args__ = (
        UniqueConstraint("outlet_key"),
        CheckConstraint("outlet_key = coalesce(outlet_id, 0)", name="outlet_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    outlet_key: Mapped[int] = mapped_column(Integer)  # outlet_id, or 0 for the company
    hours: Mapped[str] = mapped_column(String(400))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
