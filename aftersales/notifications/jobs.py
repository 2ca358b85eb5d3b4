"""Scheduled work: send the queued notification e-mails (registered in aftersales/scheduler.py)."""

import logging
import smtplib

from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.mail import compose, open_connection
from aftersales.notifications import services, settings
from aftersales.notifications.messages import words_of

BATCH = 200
log = logging.getLogger(__name__)


def send_emails(session: Session) -> int:
    """Send queued e-mail; each message's state is committed as soon as it is sent, so a
    crash later in the batch never sends it again. The number sent."""
    smtp = settings.current().smtp
    if smtp is None:
        return 0
    queued = services.pending_emails(session, BATCH)
    if not queued:
        return 0
    try:
        connection = open_connection(smtp)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s:%s unreachable: %s", smtp.host, smtp.port, error)
        for notification in queued:
            services.record_failure(notification, error)
        session.commit()
        return 0
    sent = 0
    locales = services.locales_of(session, {notification.user_id for notification in queued})
    with connection:
        for notification in queued:
            subject, body = words_of(notification, locales.get(notification.user_id))
            message = compose(smtp, notification.email_to, subject, body)
            try:
                connection.send_message(message)
            except smtplib.SMTPException as error:
                services.record_failure(notification, error)
            else:
                services.record_sent(notification, utcnow())
                sent += 1
            session.commit()
    log.info("sent %d of %d notification e-mails", sent, len(queued))
    return sent
