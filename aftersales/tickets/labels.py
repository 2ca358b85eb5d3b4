"""How work-order codes read to people (pages and messages), in the user's language."""

from flask_babel import lazy_gettext as _l

from aftersales.tickets import models
from aftersales.tickets.models import (
    IntakeChannel,
    Priority,
    TicketState,
    TicketType,
    WarrantyStatus,
)

# A work order as people name it (WO00000731), for the modules that show one by its id.
ticket_number = models.ticket_number

STATE_LABELS = TicketState.labels()
TYPE_LABELS = TicketType.labels()
PRIORITY_LABELS = Priority.labels()
WARRANTY_LABELS = WarrantyStatus.labels()
CHANNEL_LABELS = IntakeChannel.labels()

# A work order's fields on its history page, as its pages name them.
FIELD_LABELS = {
    "type": _l("Type"),
    "priority": _l("Priority"),
    "state": _l("State"),
    "customer_id": _l("Customer"),
    "serial_id": _l("Serial number"),
    "product_id": _l("Product"),
    "outlet_id": _l("Outlet"),
    "technician_id": _l("Technician"),
    "created_by_id": _l("Opened by"),
    "channel": _l("Came in through"),
    "description": _l("Problem"),
    "service_address": _l("Service address"),
    "warranty_status": _l("Warranty"),
    "received_at": _l("Reported"),
    "created_at": _l("Opened"),
    "response_due_at": _l("Response due"),
    "resolution_due_at": _l("Resolution due"),
    "arrival_due_at": _l("Emergency arrival due"),
    "responded_at": _l("Responded"),
    "arrived_at": _l("Arrived"),
    "resolved_at": _l("Resolved"),
    "closed_at": _l("Closed"),
    "response_met": _l("Response in time"),
    "arrival_met": _l("Emergency arrival in time"),
    "arrival_verified_at": _l("Arrival verified by GPS"),
    "resolution_met": _l("Resolution in time"),
    "resolution_variance_seconds": _l("Resolution early or late (seconds)"),
    "calendar_guessed": _l("Deadlines from a guessed calendar"),
    "cancel_reason": _l("Cancelled because"),
    "quote_fen": _l("Fee quote"),
    "quote_accepted_at": _l("Quote accepted"),
    "service_latitude": _l("Service location latitude"),
    "service_longitude": _l("Service location longitude"),
    "service_location_precision": _l("Service location precision"),
    "window_starts_at": _l("Booked visit window from"),
    "window_ends_at": _l("Booked visit window until"),
}
