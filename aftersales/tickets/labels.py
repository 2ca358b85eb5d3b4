"""How work-order codes read to people (pages and messages), in the user's language."""

from aftersales.tickets.models import Priority, TicketState, TicketType, WarrantyStatus

STATE_LABELS = TicketState.labels()
TYPE_LABELS = TicketType.labels()
PRIORITY_LABELS = Priority.labels()
WARRANTY_LABELS = WarrantyStatus.labels()
