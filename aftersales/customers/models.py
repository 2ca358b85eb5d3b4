from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import utcnow
from aftersales.core.geo import place_names
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db


class CustomerKind(Vocabulary):
    PERSON = "person", _l("Person")
    COMPANY = "company", _l("Company")


CUSTOMER_KINDS = CustomerKind.codes()


class PartKind(Vocabulary):
    MAIN = "main"
    WEARING = "wearing"


PART_KINDS = PartKind.codes()


class ProductCategory(Vocabulary):
    """What a product is, as people name it. Products, the outlets that serve them, the
    qualification rules for their work (and loaners) are kept to these codes where they
    are entered; the columns hold text, so rows from before the vocabulary stay readable."""

    AIR_CONDITIONER = "air_conditioner", _l("Air conditioner")
    REFRIGERATOR = "refrigerator", _l("Refrigerator")
    WASHING_MACHINE = "washing_machine", _l("Washing machine")
    WATER_HEATER = "water_heater", _l("Water heater")
    RANGE_HOOD = "range_hood", _l("Range hood")
    GAS_STOVE = "gas_stove", _l("Gas stove")
    TELEVISION = "television", _l("Television")
    WATER_PURIFIER = "water_purifier", _l("Water purifier")


def _prefix_index(table: str, column: str) -> Index:
    """The column's index, built on PostgreSQL with the pattern operator class so that it
    serves `LIKE 'start%'` under any collation as well as equality (a plain one serves prefix
    search only under the C collation); on SQLite a plain index serves both already."""
    return Index(f"ix_{table}_{column}", column, postgresql_ops={column: "varchar_pattern_ops"})


class Customer(Audited, db.Model):
    __tablename__ = "customers"
    __table_args__ = (
        # The agent's one box finds a caller by the start of a name or a phone number.
        *(_prefix_index("customers", column) for column in ("name", "phone", "alt_phone")),
        CheckConstraint(CustomerKind.check("kind"), name="known_kind"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint(
            "longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    alt_phone: Mapped[str | None] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(32))
    district: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def place(self) -> str:
        """Province and city, a municipality named once."""
        return place_names(self.province, self.city)

    @property
    def full_address(self) -> str:
        """The address as one line, each place named once (北京市朝阳区…)."""
        return place_names(self.province, self.city, self.district, self.address)


class Product(Audited, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("warranty_months >= 0", name="warranty_not_negative"),
        CheckConstraint("labour_fee_fen >= 0", name="fee_not_negative"),
        CheckConstraint("safe_use_years IS NULL OR safe_use_years > 0", name="positive_safe_use"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model_code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32), index=True)
    warranty_months: Mapped[int] = mapped_column(default=12)
    # Out-of-warranty labour per visit, in fen; the fee schedule the customer is quoted from.
    labour_fee_fen: Mapped[int] = mapped_column(default=0)
    # Safety-relevant products (gas appliances, water heaters) carry a safe-use period.
    safe_use_years: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Part(Audited, db.Model):
    """A spare part of a product model: main parts (compressor, board) or wearing parts."""

    __tablename__ = "parts"
    __table_args__ = (
        CheckConstraint(PartKind.check("kind"), name="known_kind"),
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    price_fen: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SerialNumber(Audited, db.Model):
    """One sold unit: whose it is, when it was sold, until when it is under warranty."""

    __tablename__ = "serial_numbers"
    __table_args__ = (
        CheckConstraint("warranty_expires_on >= sold_on", name="warranty_after_sale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    sold_on: Mapped[date] = mapped_column(Date)
    warranty_expires_on: Mapped[date] = mapped_column(Date)
    # Printed inside the unit; the public portal checks it to expose counterfeits.
    verification_code: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(lazy="joined")


class AttestedStep(Vocabulary):
    """What a customer does from their own phone, each bound to one record: confirmations,
    and the requests they make on the portal."""

    REPORT = "report", _l("Asked for service online")
    COMPLAIN = "complain", _l("Complained online")
    ACCEPT_QUOTE = "accept_quote", _l("Accepted the fee quote")
    CONFIRM_ARRIVAL = "confirm_arrival", _l("Confirmed the technician arrived")
    CONFIRM_COMPLETION = "confirm_completion", _l("Confirmed the work was done")
    RATE_SERVICE = "rate_service", _l("Rated the service")
    ANSWER_SURVEY = "answer_survey", _l("Answered the satisfaction survey")
    CONFIRM_RESOLUTION = "confirm_resolution", _l("Confirmed the complaint was resolved")
    TRACK = "track", _l("Followed the record online")


class AttestationChannel(Vocabulary):
    """How the customer reached the step: a one-time link sent to them, the portal after a
    one-time code to the phone on file, or a portal form anyone may send (a fault report)."""

    SMS_LINK = "sms_link", _l("Link sent by SMS")
    EMAIL_LINK = "email_link", _l("Link sent by e-mail")
    SHARED_LINK = "shared_link", _l("Link shared by the technician (WeChat, QR code)")
    PORTAL_CODE = "portal_code", _l("Portal, after a one-time code to the phone on file")
    PORTAL_FORM = "portal_form", _l("Portal form (the phone not verified)")


class AttestedRecord(Vocabulary):
    WORK_ORDER = "ticket", _l("Work order")
    COMPLAINT = "complaint", _l("Complaint")


class CustomerLink(Audited, db.Model):
    """A one-time link: the token's hash (the token itself only ever in the message sent),
    bound to one record, one step and, for a quote, the amount it was sent for; used once,
    before it expires."""

    __tablename__ = "customer_links"
    __table_args__ = (
        CheckConstraint(AttestedStep.check("step"), name="known_step"),
        CheckConstraint(AttestationChannel.check("channel"), name="known_channel"),
        CheckConstraint(AttestedRecord.check("record_type"), name="known_record_type"),
        Index("ix_customer_links_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    step: Mapped[str] = mapped_column(String(24))
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column()
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    # The fee quote (fen) the link accepts: a quote changed since is not accepted by it.
    amount_fen: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CustomerAct(Audited, db.Model):
    """A confirmation made by the customer on their own device: the step, the record, how
    they reached it, when, and the device facts the browser sent (user agent)."""

    __tablename__ = "customer_acts"
    __table_args__ = (
        CheckConstraint(AttestedStep.check("step"), name="known_step"),
        CheckConstraint(AttestationChannel.check("channel"), name="known_channel"),
        CheckConstraint(AttestedRecord.check("record_type"), name="known_record_type"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        Index("ix_customer_acts_record", "record_type", "record_id", "step"),
        Index("ix_customer_acts_step_at", "step", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column()
    step: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("customer_links.id"))
    rating: Mapped[int | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class CustomerCode(db.Model):
    """A one-time code sent to the phone on file to open one record on the portal: only its
    keyed hash is kept, it expires in minutes and dies after a few wrong tries."""

    __tablename__ = "customer_codes"
    __table_args__ = (
        CheckConstraint(AttestedRecord.check("record_type"), name="known_record_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column()
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    failed_tries: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
