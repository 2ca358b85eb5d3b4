from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Numeric,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db


class OutletKind(Vocabulary):
    SELF_OPERATED = "self_operated", _l("Self-operated")
    CONTRACTED = "contracted", _l("Contracted")


OUTLET_KINDS = OutletKind.codes()


class CityKind(Vocabulary):
    PREFECTURE = "prefecture"
    MUNICIPALITY = "municipality"


CITY_KINDS = CityKind.codes()


class Outlet(Audited, db.Model):
    """A service outlet. A contracted one serves (and counts for coverage) only while its
    agreement with the company is in force: agreement_starts_on..agreement_ends_on."""

    __tablename__ = "outlets"
    __table_args__ = (
        CheckConstraint(OutletKind.check("kind"), name="known_kind"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("service_radius_km > 0", name="positive_radius"),
        CheckConstraint("staff_count >= 0", name="staff_count_not_negative"),
        CheckConstraint(
            "agreement_ends_on IS NULL OR agreement_starts_on IS NULL"
            " OR agreement_ends_on >= agreement_starts_on",
            name="agreement_ends_after_it_starts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    province: Mapped[str] = mapped_column(String(32), index=True)
    city: Mapped[str] = mapped_column(String(32))
    # The division code role grants are scoped by (city or county, six digits).
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    # The prefecture-level city (cities.code) and its province, e.g. 440300 and 440000.
    province_code: Mapped[str] = mapped_column(String(6), index=True)
    city_code: Mapped[str] = mapped_column(String(6), index=True)
    address: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    opening_hours: Mapped[str] = mapped_column(String(100), default="")
    is_24h: Mapped[bool] = mapped_column(default=False)
    service_radius_km: Mapped[int] = mapped_column(default=50)
    # Product categories served (customers' Product.category values); empty: all.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    staff_count: Mapped[int] = mapped_column(default=0)
    agreement_starts_on: Mapped[date | None] = mapped_column(Date)
    agreement_ends_on: Mapped[date | None] = mapped_column(Date)
    # The signed agreement (contracted outlets): a key in the upload storage.
    agreement_file_key: Mapped[str | None] = mapped_column(String(80))
    agreement_file_name: Mapped[str | None] = mapped_column(String(200))
    agreement_content_type: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def agreement_in_force(self, day: date) -> bool:
        return (
            self.agreement_starts_on is not None
            and self.agreement_ends_on is not None
            and self.agreement_starts_on <= day <= self.agreement_ends_on
        )

    def serves_on(self, day: date) -> bool:
        """Self-operated outlets always; contracted ones while the agreement is in force."""
        return self.kind == "self_operated" or self.agreement_in_force(day)


class ServiceSlot(Audited, db.Model):
    """A time window in which an outlet takes booked visits, every week on one weekday
    (Monday 0), and how many visits it can take then: the windows the portal offers
    customers (outlets/slots.py). A capacity of 0 closes the window without losing it."""

    __tablename__ = "service_slots"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("starts < ends", name="starts_before_ends"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        UniqueConstraint("outlet_id", "weekday", "starts",
                         name="uq_service_slots_outlet_weekday_starts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column()
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    capacity: Mapped[int] = mapped_column()


class SlotBooking(db.Model):
    """How many visits are booked in a window on one day: counted up by one conditional
    UPDATE that cannot pass the window's capacity, so two customers racing for the last
    place cannot both get it. Each booking itself is on its work order (audited there)."""

    __tablename__ = "slot_bookings"
    __table_args__ = (CheckConstraint("booked >= 0", name="booked_not_negative"),)

    slot_id: Mapped[int] = mapped_column(
        ForeignKey("service_slots.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    booked: Mapped[int] = mapped_column(default=0)


class City(db.Model):
    """Reference data: a prefecture-level division of mainland China (地级行政区) or a
    municipality (直辖市, counted as one city), with its centroid. Loaded by
    `aftersales outlets load-cities` from the cpca package's data (see cities.py)."""

    __tablename__ = "cities"
    __table_args__ = (
        CheckConstraint(CityKind.check("kind"), name="known_kind"),
    )

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), index=True)
    province_code: Mapped[str] = mapped_column(String(6), index=True)
    province: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
