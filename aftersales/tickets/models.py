from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import BIG_ID, UTCDateTime
from aftersales.core.vocabulary import Vocabulary
from aftersales.extensions import db


class TicketType(Vocabulary):
    REPAIR = "repair", _l("Repair")
    INSTALLATION = "installation", _l("Installation")
    MAINTENANCE = "maintenance", _l("Maintenance")
    DELIVERY = "delivery", _l("Delivery")
    RETURN = "return", _l("Return or exchange")
    RECYCLING = "recycling", _l("Recycling")


TICKET_TYPES = TicketType.codes()


class Priority(Vocabulary):
    EMERGENCY = "emergency", _l("Emergency")
    NORMAL = "normal", _l("Normal")


PRIORITIES = Priority.codes()


class TicketState(Vocabulary):
    NEW = "new", _l("New")
    ASSIGNED = "assigned", _l("Assigned")
    DISPATCHED = "dispatched", _l("Dispatched")
    ON_SITE = "on_site", _l("On site")
    WAITING_PARTS = "waiting_parts", _l("Waiting for parts")
    WAITING_CUSTOMER = "waiting_customer", _l("Waiting for the customer")
    RESOLVED = "resolved", _l("Resolved")
    CLOSED = "closed", _l("Closed")
    CANCELLED = "cancelled", _l("Cancelled")


STATES = TicketState.codes()
PAUSED_STATES = ("waiting_parts", "waiting_customer")
FINISHED_STATES = ("resolved", "closed", "cancelled")


class WarrantyStatus(Vocabulary):
    IN_WARRANTY = "in_warranty", _l("In warranty")
    EXPIRED = "expired", _l("Out of warranty")
    UNKNOWN = "unknown", _l("Warranty unknown")


WARRANTY_STATUSES = WarrantyStatus.codes()


class LocationPrecision(Vocabulary):
    EXACT = "exact"
    DISTRICT = "district"
    CITY = "city"


LOCATION_PRECISIONS = LocationPrecision.codes()


class IntakeChannel(Vocabulary):
    """How the work order came in: typed at the service desk (walk-ins, the API), from a
    call on the agent console, by the customer on the portal, or opened by a return visit
    that found the customer dissatisfied."""

    DESK = "desk", _l("Service desk")
    HOTLINE = "hotline", _l("Hotline")
    PORTAL = "portal", _l("Customer portal")
    RETURN_VISIT = "return_visit", _l("Return visit")


INTAKE_CHANNELS = IntakeChannel.codes()


class Ticket(Audited, db.Model):
    """A work order. Due times are fixed at intake from the SLA targets; the outcome
    (met or failed, and by how much) is stored when the clock stops."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(TicketType.check("type"), name="known_type"),
        CheckConstraint(Priority.check("priority"), name="known_priority"),
        CheckConstraint(TicketState.check("state"), name="known_state"),
        CheckConstraint(WarrantyStatus.check("warranty_status"), name="known_warranty"),
        CheckConstraint(IntakeChannel.check("channel"), name="known_channel"),
        CheckConstraint(
            "(window_starts_at IS NULL) = (window_ends_at IS NULL)"
            " AND (window_starts_at IS NULL OR window_starts_at < window_ends_at)",
            name="window_whole",
        ),
        CheckConstraint("received_at <= created_at", name="received_before_entered"),
        CheckConstraint("quote_fen IS NULL OR quote_fen >= 0", name="quote_not_negative"),
        CheckConstraint(
            "(service_latitude IS NULL) = (service_longitude IS NULL)"
            " AND (service_latitude IS NULL) = (service_location_precision IS NULL)",
            name="service_location_whole",
        ),
        CheckConstraint(
            "service_location_precision IS NULL OR "
            + LocationPrecision.check("service_location_precision"),
            name="known_location_precision",
        ),
        Index("ix_tickets_state_id", "state", "id"),
        Index("ix_tickets_outlet_id_id", "outlet_id", "id"),
        Index("ix_tickets_technician_id_id", "technician_id", "id"),
        Index("ix_tickets_customer_id_id", "customer_id", "id"),
        Index("ix_tickets_type_id", "type", "id"),
        Index("ix_tickets_resolution_due_at", "resolution_due_at"),
        # A response clock past due counts as failed in the period it fell due in.
        Index("ix_tickets_response_due_at", "response_due_at"),
        Index("ix_tickets_state_closed_at", "state", "closed_at"),
        # The evidence providers count the work orders reported or resolved in a period.
        Index("ix_tickets_received_at", "received_at"),
        Index("ix_tickets_resolved_at", "resolved_at"),
        Index("ix_tickets_arrival_met_arrival_due_at", "arrival_met", "arrival_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(20), default="new")
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    serial_id: Mapped[int | None] = mapped_column(ForeignKey("serial_numbers.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16), default=IntakeChannel.DESK)
    description: Mapped[str] = mapped_column(Text)
    service_address: Mapped[str] = mapped_column(String(200))
    warranty_status: Mapped[str] = mapped_column(String(16))
    # The clock starts when the customer reported, which may be before data entry.
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolution_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    arrival_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_met: Mapped[bool | None] = mapped_column()
    arrival_met: Mapped[bool | None] = mapped_column()
    # The first arrival proven by a GPS stamp inside the geofence: the emergency SLA's clock.
    arrival_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_met: Mapped[bool | None] = mapped_column()
    # Business seconds early (negative) or late (positive) against the resolution target.
    resolution_variance_seconds: Mapped[int | None] = mapped_column(Integer)
    # A business-hour clock counted over a year whose holiday schedule nobody had entered
    # (a plain Monday-to-Friday week was assumed): shown on the record and in the report.
    calendar_guessed: Mapped[bool] = mapped_column(default=False)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    # The fee quote (fen) for paid work, and when the customer accepted it.
    quote_fen: Mapped[int | None] = mapped_column(Integer)
    quote_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the work is done, fixed at intake: the customer's own coordinates when known,
    # else the district or city centroid; empty when the address could not be placed.
    service_latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    service_longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    service_location_precision: Mapped[str | None] = mapped_column(String(10))
    # The visit window the customer booked (the portal), from the outlet's slots.
    window_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", lazy="raise_on_sql"
    )

    @property
    def number(self) -> str:
        return ticket_number(self.id)


def ticket_number(ticket_id: int) -> str:
    """A work order as people name it (WO00000731)."""
    return f"WO{ticket_id:08d}"


class TicketEvent(Audited, db.Model):
    """The timeline: every state change of a work order, who made it and why.
    Append-only; the change itself is also in the audit trail."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_ticket_id_id", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketPhoto(Audited, db.Model):
    """A photo of the fault the customer sent with the report. Its bytes are in the file
    store under their SHA-256, served only to those who may read the work order."""

    __tablename__ = "ticket_photos"
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="not_empty"),
        Index("ix_ticket_photos_ticket_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StockLevel(Audited, db.Model):
    """Spare parts on hand at an outlet. Changed only with the ledger (StockMovement),
    in the same transaction, by a conditional UPDATE that cannot go below zero."""

    __tablename__ = "stock_levels"
    __table_args__ = (CheckConstraint("on_hand >= 0", name="never_negative"),)

    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)


class MovementKind(Vocabulary):
    """Why parts came into or went out of an outlet's stock."""

    RECEIPT = "receipt", _l("Received into stock")
    USE = "use", _l("Used on a work order")
    WORK_RETURN = "work_return", _l("Returned unused from a work order")
    TRANSFER_OUT = "transfer_out", _l("Transferred out")
    TRANSFER_IN = "transfer_in", _l("Transferred in")
    SUPPLIER_RETURN = "supplier_return", _l("Faulty, sent back to the supplier")


INCOMING_KINDS = (MovementKind.RECEIPT, MovementKind.WORK_RETURN, MovementKind.TRANSFER_IN)
_INCOMING_SQL = ", ".join(f"'{kind}'" for kind in INCOMING_KINDS)


class StockMovement(Audited, db.Model):
    """The spare-parts ledger: every part in (positive) or out (negative) of an outlet's
    stock, why, and the quantity on hand after it. A transfer is two movements, the one
    in naming the one out (`linked_id`)."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="not_zero"),
        CheckConstraint(MovementKind.check("kind"), name="known_kind"),
        CheckConstraint(f"(quantity > 0) = (kind IN ({_INCOMING_SQL}))", name="direction"),
        CheckConstraint("balance_after >= 0", name="balance_not_negative"),
        CheckConstraint("kind <> 'transfer_in' OR linked_id IS NOT NULL", name="transfer_linked"),
        CheckConstraint("kind <> 'supplier_return' OR note IS NOT NULL",
                        name="supplier_return_reason"),
        Index("ix_stock_movements_outlet_id_part_id_id", "outlet_id", "part_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column()
    balance_after: Mapped[int] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(200))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    linked_id: Mapped[int | None] = mapped_column(ForeignKey("stock_movements.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketPart(Audited, db.Model):
    """A part used on a work order, at the price of the day, charged or under warranty;
    how many of them went back to stock unused, and the serial of the part it replaced."""

    __tablename__ = "ticket_parts"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive_quantity"),
        CheckConstraint("unit_price_fen >= 0", name="price_not_negative"),
        CheckConstraint("returned >= 0 AND returned <= quantity", name="returned_within_used"),
        Index("ix_ticket_parts_ticket_id", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[int] = mapped_column()
    returned: Mapped[int] = mapped_column(default=0)
    unit_price_fen: Mapped[int] = mapped_column()
    charged: Mapped[bool] = mapped_column()
    removed_serial: Mapped[str | None] = mapped_column(String(64))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def kept(self) -> int:
        """How many stayed in the customer's unit."""
        return self.quantity - self.returned


class TicketQuote(Audited, db.Model):
    """Each fee quote told to the customer and when they accepted it: the auditor sees
    every price the customer agreed to, not only the last."""

    __tablename__ = "ticket_quotes"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        Index("ix_ticket_quotes_ticket_id_id", "ticket_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    amount_fen: Mapped[int] = mapped_column()
    quoted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    quoted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Signoff(Audited, db.Model):
    """The customer's signature, drawn on the technician's phone, with when and who."""

    __tablename__ = "ticket_signoffs"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    signer_name: Mapped[str] = mapped_column(String(100))
    image_png: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LoanerState(Vocabulary):
    AVAILABLE = "available"
    LENT = "lent"
    RETIRED = "retired"


LOANER_STATES = LoanerState.codes()


class Loaner(Audited, db.Model):
    """A spare unit an outlet lends a customer while their own is away for a long repair."""

    __tablename__ = "loaners"
    __table_args__ = (
        CheckConstraint(LoanerState.check("state"), name="state"),
        Index("ix_loaners_outlet_state", "outlet_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"))
    asset_tag: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(12), default="available")


class LoanerLoan(Audited, db.Model):
    """One lending of a loaner for one work order; open while `returned_at` is empty."""

    __tablename__ = "loaner_loans"
    __table_args__ = (
        Index("ix_loaner_loans_ticket", "ticket_id"),
        Index("ix_loaner_loans_loaner", "loaner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loaner_id: Mapped[int] = mapped_column(ForeignKey("loaners.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    lent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_back_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_condition: Mapped[str | None] = mapped_column(String(200))


class StampKind(Vocabulary):
    DEPART = "depart", _l("Departed")
    ARRIVE = "arrive", _l("Arrived")
    FINISH = "finish", _l("Finished")


STAMP_KINDS = StampKind.codes()
# Where a stamp stands against the service location's geofence. A departure is only recorded.


class StampStatus(Vocabulary):
    RECORDED = "recorded"
    VERIFIED = "verified"
    OFF_SITE = "off_site"
    NO_SERVICE_LOCATION = "no_service_location"


STAMP_STATUSES = StampStatus.codes()


class TicketStamp(Audited, db.Model):
    """One GPS stamp from a technician's phone: where and when (by the device and by the
    server), and what the server made of it. Append-only and never dropped; `client_id`
    (a UUID the phone makes) makes a resend land on the stored stamp."""

    __tablename__ = "ticket_stamps"
    __table_args__ = (
        CheckConstraint(StampKind.check("kind"), name="known_kind"),
        CheckConstraint(StampStatus.check("status"), name="known_status"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("accuracy_m >= 0", name="accuracy_not_negative"),
        Index("ix_ticket_stamps_ticket_id_id", "ticket_id", "id"),
        Index("ix_ticket_stamps_technician_id_id", "technician_id", "id"),
        Index("ix_ticket_stamps_technician_id_device_at", "technician_id", "device_at"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    # Whose phone it is: the assigned technician, or a dispatcher stamping for them.
    technician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(8))
    latitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    accuracy_m: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    device_at: Mapped[datetime] = mapped_column(UTCDateTime)
    server_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Taken offline and sent later: the device time is when it was taken.
    late: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20))
    distance_m: Mapped[int | None] = mapped_column(Integer)  # to the service location
    geofence_m: Mapped[int | None] = mapped_column(Integer)  # radius applied, accuracy included
    impossible_speed: Mapped[bool] = mapped_column(default=False)
    speed_kmh: Mapped[int | None] = mapped_column(Integer)  # from this technician's previous stamp
    clock_skew: Mapped[bool] = mapped_column(default=False)
    # The step of the work order the stamp took, or why the step was refused.
    to_state: Mapped[str | None] = mapped_column(String(20))
    step_refused: Mapped[str | None] = mapped_column(String(300))

    @property
    def at(self) -> datetime:
        """When it happened: the device's time for a stamp sent late (unless the device
        clock is off), else the server's."""
        return self.device_at if self.late and not self.clock_skew else self.server_at

    @property
    def verified(self) -> bool:
        return self.status == "verified" and not self.impossible_speed

    @property
    def flags(self) -> list[str]:
        flags = [self.status] if self.status in ("off_site", "no_service_location") else []
        flags += [name for name in ("impossible_speed", "clock_skew", "late")
                  if getattr(self, name)]
        return flags


class DispatchOverride(Audited, db.Model):
    """A manager sent a technician lacking a required certificate: who, why, what was missing."""

    __tablename__ = "dispatch_overrides"
    __table_args__ = (Index("ix_dispatch_overrides_ticket_id", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    technician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    missing: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
