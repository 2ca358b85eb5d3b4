"""What happens on site: spare parts from the outlet's stock, the fee quote the customer
accepts before paid work, and the customer's signature."""

import base64
import binascii
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.models import User
from aftersales.core.sheets import yuan
from aftersales.customers import services as customer_services
from aftersales.tickets import stock
from aftersales.tickets.models import (
    Signoff,
    Ticket,
    TicketPart,
    TicketQuote,
)

PAID_TYPES = ("repair", "maintenance", "installation")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 300 * 1024
MAX_SIGNATURE_SIDE = 4000


def ensure_may_work(ticket: Ticket, actor: User, may_dispatch: bool) -> None:
    """Field work on a work order: its assigned technician, or the desk."""
    if not (may_dispatch or ticket.technician_id == actor.id):
        raise PermissionDenied(_l("Only the assigned technician or the desk may do this."))


def is_paid_work(ticket: Ticket) -> bool:
    """Known to be out of warranty, and work the customer pays for."""
    return ticket.warranty_status == "expired" and ticket.type in PAID_TYPES


# The ledger itself is stock.py; fixtures and the demo stock parts through this name too.
receive_stock = stock.receive_stock


def use_part(
    session: Session, ticket: Ticket, part_id: int, quantity: int, actor: User | None,
    now: datetime | None = None, removed_serial: str | None = None,
) -> TicketPart:
    """Take parts from the work order's outlet for it (stock.py: never below zero, so two
    technicians cannot take the last one), noting the serial of the part taken out."""
    if quantity <= 0:
        raise ValidationFailed(_l("Use at least one."), field="quantity")
    if ticket.state not in ("on_site", "waiting_parts"):
        raise Conflict(_l("Parts are used on site."), field="part_id")
    if ticket.outlet_id is None:
        raise Conflict(_l("The work order has no outlet to take parts from."), "part_id")
    part = customer_services.get_part(session, part_id)
    charged = is_paid_work(ticket)
    if charged and ticket.quote_accepted_at is None:
        raise Conflict(_l("The customer has not accepted the fee quote yet."), "part_id")
    stock.take_for_work(session, ticket, part.id, quantity, actor, now)
    used = TicketPart(
        ticket_id=ticket.id, part_id=part.id, quantity=quantity,
        unit_price_fen=part.price_fen, charged=charged, used_at=now or utcnow(),
        removed_serial=(removed_serial or "").strip().upper() or None,
    )
    session.add(used)
    session.flush()
    return used


def parts_used(session: Session, ticket_id: int) -> list[TicketPart]:
    return parts_used_by_ticket(session, [ticket_id]).get(ticket_id, [])


def parts_used_by_ticket(session: Session, ticket_ids: list[int]) -> dict[int, list[TicketPart]]:
    """The parts used on each of these work orders, in the order used, in one query."""
    used: dict[int, list[TicketPart]] = defaultdict(list)
    if ticket_ids:
        for line in session.scalars(select(TicketPart).where(TicketPart.ticket_id.in_(ticket_ids))
                                    .order_by(TicketPart.id)):
            used[line.ticket_id].append(line)
    return used


def quote(
    session: Session, ticket: Ticket, amount_fen: int, actor: User | None = None,
    now: datetime | None = None,
) -> Ticket:
    """The price told to the customer before paid work starts, or again when the charges
    outgrow it: a new quote waits for a new acceptance, and every quote is kept."""
    if amount_fen < 0:
        raise ValidationFailed(_l("A quote cannot be negative."), field="amount_fen")
    if ticket.state in ("resolved", "closed", "cancelled"):
        raise Conflict(_l("The work is over; there is nothing to quote."), "amount_fen")
    ticket.quote_fen, ticket.quote_accepted_at = amount_fen, None
    session.add(TicketQuote(ticket_id=ticket.id, amount_fen=amount_fen,
                            quoted_at=now or utcnow(), quoted_by_id=actor.id if actor else None))
    session.flush()
    return ticket


def accept_quote(session: Session, ticket: Ticket, now: datetime | None = None) -> Ticket:
    if ticket.quote_fen is None:
        raise Conflict(_l("There is no quote to accept."), field="amount_fen")
    ticket.quote_accepted_at = now or utcnow()
    latest = session.scalar(select(TicketQuote).where(TicketQuote.ticket_id == ticket.id)
                            .order_by(TicketQuote.id.desc()).limit(1))
    if latest is not None:
        latest.accepted_at = ticket.quote_accepted_at
    session.flush()
    return ticket


def quotes_of(session: Session, ticket_id: int) -> list[TicketQuote]:
    return list(session.scalars(
        select(TicketQuote).where(TicketQuote.ticket_id == ticket_id).order_by(TicketQuote.id)
    ))


@dataclass(frozen=True)
class Charges:
    """What the customer pays for paid work: the parts charged and the model's labour fee."""

    parts_fen: int
    labour_fen: int

    @property
    def total_fen(self) -> int:
        return self.parts_fen + self.labour_fen


def charges_of(session: Session, ticket: Ticket) -> Charges:
    if not is_paid_work(ticket):
        return Charges(0, 0)
    product = customer_services.get_product(session, ticket.product_id) if ticket.product_id \
        else None
    return charges_from(ticket, parts_used(session, ticket.id), product)


def charges_from(ticket: Ticket, used: list[TicketPart], product) -> Charges:
    """The charges of a work order from the parts used on it and its product (None: none),
    read already (a batch of record sheets reads them for many work orders at once)."""
    if not is_paid_work(ticket):
        return Charges(0, 0)
    parts_fen = sum(line.kept * line.unit_price_fen for line in used if line.charged)
    return Charges(parts_fen, product.labour_fee_fen if product else 0)


def exceeds_quote(ticket: Ticket, charges: Charges) -> bool:
    return charges.total_fen > (ticket.quote_fen or 0)


def ensure_quote_covers(session: Session, ticket: Ticket) -> None:
    """Paid work is finished only at a price the customer accepted: an accepted quote that
    covers every charge."""
    if not is_paid_work(ticket):
        return
    if ticket.quote_accepted_at is None:
        raise Conflict(
            _l("Out of warranty: the customer accepts the fee quote before paid work."),
            field="to_state",
        )
    charges = charges_of(session, ticket)
    if exceeds_quote(ticket, charges):
        raise Conflict(
            _l("The charges (%(total)s) exceed the accepted quote (%(quote)s): quote again "
               "and have the customer accept it.",
               total=yuan(charges.total_fen), quote=yuan(ticket.quote_fen)),
            field="to_state",
        )


def decode_signature(data_url: str) -> bytes:
    """The PNG a signature pad sends as a data URL, checked by content and size."""
    _prefix, _sep, payload = data_url.partition("base64,")
    try:
        image = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as error:
        message = _l("The signature did not arrive; sign again.")
        raise ValidationFailed(message, field="signature") from error
    if len(image) > MAX_SIGNATURE_BYTES:
        raise ValidationFailed(_l("The signature image is too large."), field="signature")
    if not _is_png(image):
        raise ValidationFailed(_l("The signature must be a PNG image."), field="signature")
    return image


def _is_png(data: bytes) -> bool:
    """Checked by decoding, not by the first bytes: the sheet given to the customer prints it."""
    if not data.startswith(PNG_MAGIC):
        return False
    import PIL.Image  # decoding images: loaded on the first signature, not at start

    try:
        with PIL.Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height = image.size
    except (OSError, SyntaxError, ValueError):
        return False
    return 0 < width <= MAX_SIGNATURE_SIDE and 0 < height <= MAX_SIGNATURE_SIDE


def sign_off(
    session: Session, ticket: Ticket, signer_name: str, image_png: bytes, actor: User | None,
    now: datetime | None = None,
) -> Signoff:
    if ticket.state not in ("on_site", "resolved"):
        raise Conflict(_l("The customer signs when the work is done on site."), "signature")
    if not signer_name.strip():
        raise ValidationFailed(_l("Who signed?"), field="signer_name")
    signoff = session.get(Signoff, ticket.id) or Signoff(ticket_id=ticket.id)
    signoff.signer_name = signer_name.strip()
    signoff.image_png = image_png
    signoff.signed_at = now or utcnow()
    signoff.taken_by_id = actor.id if actor else None
    session.add(signoff)
    session.flush()
    return signoff


def signoff_of(session: Session, ticket_id: int) -> Signoff | None:
    return session.get(Signoff, ticket_id)


def signoffs_of(session: Session, ticket_ids: list[int]) -> dict[int, Signoff]:
    """The sign-offs of these work orders (those signed), in one query."""
    if not ticket_ids:
        return {}
    found = session.scalars(select(Signoff).where(Signoff.ticket_id.in_(ticket_ids)))
    return {signoff.ticket_id: signoff for signoff in found}
