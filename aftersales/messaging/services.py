"""Messages to customers: `send` is the one door every module uses. It stores the message
in the caller's transaction (so a message goes out if and only if the change it tells of
is committed); the delivery job (jobs.py) hands queued messages to the channel's backend.

    send(session, template="work_order_received", values={"number": "WO-2026-0042"},
         channel=Channel.SMS, essential=True, customer_id=customer.id)
"""

import json
from datetime import datetime, timedelta

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.errors import ValidationFailed
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.sql import insert_unless_present
from aftersales.customers import services as customers
from aftersales.customers import visibility
from aftersales.messaging.labels import HIDDEN, SECRET_VALUES, TEMPLATES, Channel, MessageStatus
from aftersales.messaging.models import MessagingOptOut, OutgoingMessage

LANGUAGES = ("zh", "en")
MAX_ATTEMPTS = 5
# Waits between attempts: a provider's hiccup passes in a minute, an outage in an hour.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
               timedelta(hours=1))


def render(template: str, values: dict, language: str) -> str:
    """The template's words in `language`, with the values in place."""
    msgid, = TEMPLATES[template][1]._args  # a LazyString keeps the msgid it was made with
    with force_locale(language):
        return gettext(msgid, **values)


def _checked(template: str, values: dict, language: str) -> None:
    if template not in TEMPLATES:
        raise ValidationFailed(_l("No such message template."), field="template")
    if language not in LANGUAGES:
        raise ValidationFailed(_l("Messages are written in Chinese or English."),
                               field="language")
    try:
        render(template, values, "en")
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationFailed(_l("The message's values do not fit its template."),
                               field="values") from error


def _recipient(session: Session, channel: str, customer_id: int | None,
               address: str | None) -> str:
    """The address the message goes to: the one given, else the customer's phone (SMS) or
    their portal; an e-mail needs an address (customers keep none)."""
    if address:
        return address.strip()
    if customer_id is None:
        raise ValidationFailed(_l("Name the customer or give an address."), field="address")
    if channel == Channel.SMS:
        return customers.get_customer(session, customer_id).phone
    if channel == Channel.PORTAL:
        return f"portal:{customer_id}"
    raise ValidationFailed(_l("Give the e-mail address."), field="address")


def send(session: Session, *, template: str, values: dict, channel: str, essential: bool,
         customer_id: int | None = None, address: str | None = None,
         language: str = "zh") -> OutgoingMessage:
    """Queue a message to a customer (or an address), rendered in `language`. A
    non-essential message to a customer who opted out is stored as skipped, never sent.
    Never commits: it is part of the caller's change."""
    if channel not in Channel.codes():
        raise ValidationFailed(_l("No such channel."), field="channel")
    channel = Channel(channel)
    _checked(template, values, language)
    skipped = not essential and customer_id is not None and is_opted_out(session, customer_id)
    message = OutgoingMessage(
        channel=channel, customer_id=customer_id,
        recipient=_recipient(session, channel, customer_id, address),
        template=template, values_json=json.dumps(values, ensure_ascii=False),
        language=language, text=render(template, values, language), essential=essential,
        status=MessageStatus.SKIPPED_OPT_OUT if skipped else MessageStatus.QUEUED,
        attempts=0, next_attempt_at=None if skipped else utcnow(), created_at=utcnow(),
    )
    session.add(message)
    session.flush()
    return message


# ---------------------------------------------------------------- opting out


def is_opted_out(session: Session, customer_id: int) -> bool:
    return session.get(MessagingOptOut, customer_id) is not None


def record_preference(session: Session, actor, customer_id: int, opted_out: bool) -> None:
    """What the customer told the desk: no non-essential messages (or them again)."""
    # 404 for a customer who is not there, or not the actor's to see.
    customers.get_customer(session, customer_id, visibility.of(actor))
    if opted_out:
        session.execute(
            insert_unless_present(session, MessagingOptOut, "customer_id")
            .values(customer_id=customer_id, recorded_by_id=actor.id, recorded_at=utcnow())
        )
    else:
        session.execute(delete(MessagingOptOut)
                        .where(MessagingOptOut.customer_id == customer_id))


# ---------------------------------------------------------------- the outbox


def list_outbox(session: Session, channel: str | None, status: str | None,
                cursor: str | None, limit: int) -> Page:
    """Outgoing messages, newest first, of one channel and status when given."""
    stmt = select(OutgoingMessage)
    if channel:
        stmt = stmt.where(OutgoingMessage.channel == channel)
    if status:
        stmt = stmt.where(OutgoingMessage.status == status)
    return keyset_page(session, stmt, OutgoingMessage.id, cursor, limit)


# ---------------------------------------------------------------- delivery (jobs.py)


def due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    return list(session.scalars(
        select(OutgoingMessage.id)
        .where(OutgoingMessage.status == MessageStatus.QUEUED,
               OutgoingMessage.next_attempt_at <= now)
        .order_by(OutgoingMessage.id).limit(limit)
    ))


def claim(session: Session, message_id: int) -> OutgoingMessage | None:
    """Take one queued message for delivery, or None if another sender took it first: one
    conditional UPDATE, so two senders never both send it (the caller commits the claim
    before handing the message on)."""
    claimed = session.execute(
        update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id,
               OutgoingMessage.status == MessageStatus.QUEUED)
        .values(status=MessageStatus.SENDING, attempts=OutgoingMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    message = session.get(OutgoingMessage, message_id)
    session.refresh(message)
    return message


def record_delivered(message: OutgoingMessage, status: MessageStatus,
                     provider_message_id: str | None) -> None:
    """Sent (or, by the outbox backend, kept here): done, never tried again."""
    message.status = status
    message.sent_at = utcnow()
    message.provider_message_id = provider_message_id
    message.error = None
    _blank_secrets(message)


def _blank_secrets(message: OutgoingMessage) -> None:
    """A one-time code is kept only until it is handed over: the row keeps the message's
    shape, the code is blanked."""
    secret = SECRET_VALUES.get(message.template, ())
    if secret:
        values = {**values_of(message), **dict.fromkeys(secret, HIDDEN)}
        message.values_json = json.dumps(values, ensure_ascii=False)
        message.text = render(message.template, values, message.language)


def shown_text(message: OutgoingMessage) -> str:
    """The message's words as staff may read them: a one-time code never."""
    secret = SECRET_VALUES.get(message.template, ())
    if not secret:
        return message.text
    return render(message.template, {**values_of(message), **dict.fromkeys(secret, HIDDEN)},
                  message.language)


def record_failure(message: OutgoingMessage, reason: str, final: bool) -> None:
    """A failed attempt: tried again later, or given up (recorded as failed) when trying
    again cannot help or the attempts are spent."""
    message.error = reason[:500]
    if final or message.attempts >= MAX_ATTEMPTS:
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
    else:
        message.status = MessageStatus.QUEUED
        wait = RETRY_AFTER[min(message.attempts, len(RETRY_AFTER)) - 1]
        message.next_attempt_at = utcnow() + wait


def values_of(message: OutgoingMessage) -> dict:
    return json.loads(message.values_json)
