"""Scheduled work: deliver queued messages to customers (registered in
aftersales/scheduler.py)."""

import logging
import smtplib

from flask_babel import force_locale
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.mail import SmtpSettings, compose, open_connection
from aftersales.messaging import aliyun, services, settings
from aftersales.messaging.failures import DeliveryFailed
from aftersales.messaging.labels import Channel, MessageStatus, template_label

BATCH = 100
log = logging.getLogger(__name__)


def _hand_over(message) -> tuple[MessageStatus, str | None]:
    """Give one message to its channel's backend: how it ended, and the provider's id for
    it, if any."""
    backend = settings.current()
    if message.channel == Channel.SMS and backend.sms_backend == "aliyun":
        return MessageStatus.SENT, aliyun.send_sms(
            backend.aliyun, message.recipient, message.template, services.values_of(message))
    if message.channel == Channel.EMAIL and backend.smtp is not None:
        _mail(backend.smtp, message)
        return MessageStatus.SENT, None
    if message.channel == Channel.PORTAL:
        return MessageStatus.SENT, None  # the portal shows the customer what is stored
    # The outbox backend (development, or e-mail without a mail server): stored, not sent.
    return MessageStatus.KEPT, None


def _mail(smtp: SmtpSettings, message) -> None:
    with force_locale(message.language):
        subject = str(template_label(message.template))
    try:
        with open_connection(smtp) as connection:
            connection.send_message(compose(smtp, message.recipient, subject, message.text))
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryFailed(f"address refused: {error}", final=True) from error
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}", final=False) from error


def deliver(session: Session) -> int:
    """Deliver what is due, one message at a time: each is claimed and committed before it
    is handed over, its outcome committed after, so a crash never sends one twice (a
    message left "sending" by a crash is for a person to check, not to resend). The number
    delivered."""
    sent = 0
    for message_id in services.due_ids(session, utcnow(), BATCH):
        message = services.claim(session, message_id)
        session.commit()
        if message is None:
            continue  # another sender has it
        try:
            status, provider_id = _hand_over(message)
        except DeliveryFailed as failure:
            services.record_failure(message, str(failure), failure.final)
        else:
            services.record_delivered(message, status, provider_id)
            sent += 1
        session.commit()
    if sent:
        log.info("delivered %d messages to customers", sent)
    return sent
