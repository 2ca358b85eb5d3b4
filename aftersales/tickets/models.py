from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aftersales.core.clock import utcnow
from aftersales.core.models import Audited
from aftersales.core.types import UTCDateTime
from aftersales.extensions import db

TICKET_TYPES = ("repair", "installation", "maintenance", "delivery", "return", "recycling")
PRIORITIES = ("emergency", "normal")
STATES = (
    "new",
    "assigned",
    "dispatched",
    "on_site",
    "waiting_parts",
    "waiting_customer",
    "resolved",
    "closed",
    "cancelled",
)
PAUSED_STATES = ("waiting_parts", "waiting_customer")
FINISHED_STATES = ("resolved", "closed", "cancelled")
WARRANTY_STATUSES = ("in_warranty", "expired", "unknown")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Ticket(Audited, db.Model):
    """A work order. Due times are fixed at intake from the SLA targets; the outcome
    (met or failed, and by how much) is stored when the clock stops."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(_one_of("type", TICKET_TYPES), name="known_type"),
        CheckConstraint(_one_of("priority", PRIORITIES), name="known_priority"),
        CheckConstraint(_one_of("state", STATES), name="known_state"),
        CheckConstraint(_one_of("warranty_status", WARRANTY_STATUSES), name="known_warranty"),
        CheckConstraint("received_at <= created_at", name="received_before_entered"),
        Index("ix_tickets_state_id", "state", "id"),
        Index("ix_tickets_outlet_id_id", "outlet_id", "id"),
        Index("ix_tickets_technician_id_id", "technician_id", "id"),
        Index("ix_tickets_customer_id_id", "customer_id", "id"),
        Index("ix_tickets_type_id", "type", "id"),
        Index("ix_tickets_resolution_due_at", "resolution_due_at"),
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
    resolution_met: Mapped[bool | None] = mapped_column()
    # Business seconds early (negative) or late (positive) against the resolution target.
    resolution_variance_seconds: Mapped[int | None] = mapped_column(Integer)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))

    events: Mapped[list["TicketEvent"]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", lazy="raise_on_sql"
    )

    @property
    def number(self) -> str:
        return f"WO{self.id:08d}"


class TicketEvent(db.Model):
    """The timeline: every state change of a work order, who made it and why.
    Append-only; the change itself is also in the audit trail."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_ticket_id_id", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
