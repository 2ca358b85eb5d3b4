"""Notify users once: in the app, and by e-mail when SMTP is configured.

`notify` is the one door every module uses. Its `dedupe_key` names the event (e.g.
"complaint:12:step:breach"); the unique (user, key) pair makes a repeat a no-op even
across processes and restarts, so callers may run as often as they like.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.models import User
from aftersales.core.pagination import Page, keyset_page
from aftersales.core.sql import insert_unless_present
from aftersales.notifications import settings
from aftersales.notifications.messages import message_json
from aftersales.notifications.models import Notification

MAX_EMAIL_ATTEMPTS = 5


def _checked_link(link: str | None) -> str | None:
    # Only paths inside this site: a notification must never send anyone elsewhere.
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"a notification links inside the site, not to {link!r}")
    return link


def notify(
    session: Session,
    *,
    user_ids: Iterable[int],
    subject,
    body,
    link: str | None = None,
    dedupe_key: str,
) -> int:
    """Notify each enabled user once per `dedupe_key`; the number newly notified.
    `subject` and `body` are lazy messages (`_l(msgid, **values)`): kept as message and
    values, each reader reads them in their language; the text is kept too, in the
    language current here (the enterprise's), for what reads text only."""
    link = _checked_link(link)
    recipients = session.execute(
        select(User.id, User.email).where(User.id.in_(set(user_ids)), User.is_enabled)
    ).all()
    if not recipients:
        return 0
    emailing = settings.current().smtp is not None
    words = message_json(subject, body)
    now = utcnow()
    rows = [
        {
            "user_id": user_id,
            "dedupe_key": dedupe_key,
            "subject": str(subject)[:200],
            "body": str(body),
            "message_json": words,
            "link": link,
            "created_at": now,
            "email_to": email if emailing and email else None,
            "email_state": "pending" if emailing and email else "none",
            "email_attempts": 0,
        }
        for user_id, email in recipients
    ]
    # RETURNING counts what was inserted on both databases (PostgreSQL's rowcount is -1 here).
    inserted = session.execute(
        insert_unless_present(session, Notification, "user_id", "dedupe_key")
        .values(rows).returning(Notification.id)
    )
    return len(inserted.all())


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def list_for(
    session: Session, user_id: int, unread_only: bool, cursor: str | None, limit: int
) -> Page:
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return keyset_page(session, stmt, Notification.id, cursor, limit)


def mark_read(session: Session, user_id: int, ids: Iterable[int] | None) -> int:
    """Mark the user's own notifications read (all of them when `ids` is None)."""
    stmt = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(set(ids)))
    result = session.execute(
        stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)
    )
    return result.rowcount


def get_own(session: Session, user_id: int, notification_id: int) -> Notification | None:
    return session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )


def locales_of(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Each recipient's language, for their e-mails, in one query."""
    return dict(session.execute(select(User.id, User.locale).where(User.id.in_(user_ids))).all())


def pending_emails(session: Session, limit: int) -> list[Notification]:
    # SKIP LOCKED (PostgreSQL) keeps a second sender off mail already being sent.
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.email_state == "pending")
            .order_by(Notification.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def record_sent(notification: Notification, at: datetime) -> None:
    notification.email_state = "sent"
    notification.email_sent_at = at
    notification.email_error = None


def record_failure(notification: Notification, error: Exception) -> None:
    notification.email_attempts += 1
    notification.email_error = f"{type(error).__name__}: {error}"[:500]
    if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
        notification.email_state = "failed"
