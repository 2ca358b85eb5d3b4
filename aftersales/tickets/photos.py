"""Photos of the fault a customer sends with a report: checked by content (JPEG or PNG)
and size, kept in the file store, shown on the work order to those who may read it."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.errors import NotFound
from aftersales.core.storage import storage
from aftersales.core.uploads import JPEG, PNG, check_upload, upload_limit
from aftersales.tickets.models import Ticket, TicketPhoto

PHOTO_KINDS = frozenset({JPEG, PNG})


def add_photo(session: Session, ticket: Ticket, content: bytes, field: str = "photos",
              now: datetime | None = None) -> TicketPhoto:
    """Keep a photo with the work order (its location data already dealt with by the
    caller); refused, naming `field`, unless it is a JPEG or PNG within the upload limit."""
    media_type = check_upload(content, PHOTO_KINDS, upload_limit(), field)
    photo = TicketPhoto(ticket_id=ticket.id, media_type=media_type, size_bytes=len(content),
                        sha256=storage().write(content), uploaded_at=now or utcnow())
    session.add(photo)
    session.flush()
    return photo


def photos_of(session: Session, ticket_id: int) -> list[TicketPhoto]:
    return list(session.scalars(
        select(TicketPhoto).where(TicketPhoto.ticket_id == ticket_id).order_by(TicketPhoto.id)))


def photo_content(session: Session, ticket: Ticket, photo_id: int) -> tuple[bytes, str]:
    """The bytes and kind of one of the work order's photos (404 for any other)."""
    photo = session.get(TicketPhoto, photo_id)
    if photo is None or photo.ticket_id != ticket.id:
        raise NotFound(_l("No such photo."))
    try:
        return storage().read(photo.sha256), photo.media_type
    except KeyError as error:
        raise NotFound(_l("No such photo.")) from error
