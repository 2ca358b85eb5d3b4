"""Scheduled work: certificate expiry reminders, 90, 30 and 7 days ahead.

A certificate in force that expires within 90 days is at one stage: the smallest of
90/30/7 its days left fit under. Each stage is notified once to the holder (their login)
and to their manager's login: notify() keeps one notification per user and dedupe key
(`certificate:<id>:expiry:<days>`), so the daily run, a restart or a second scheduler
never repeats one, and a missed day is caught up from the stored expiry dates. A
certificate first recorded inside the window gets only the stage it is at.
"""

from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from aftersales.core.clock import local_today
from aftersales.notifications.services import notify
from aftersales.training import labels, services
from aftersales.training.models import Certificate, Staff

REMINDER_DAYS = (90, 30, 7)
REMINDER_LOCALE = "zh"  # reminders are written in the enterprise's language


def stage(days_left: int) -> int | None:
    """The reminder stage of a certificate with `days_left` (None: none due)."""
    if days_left < 0:
        return None
    fitting = [days for days in REMINDER_DAYS if days_left <= days]
    return min(fitting) if fitting else None


def remind_expiring_certificates(session: Session, today: date | None = None) -> int:
    """Notify holders and their managers of certificates reaching a reminder stage;
    returns the number of notifications newly created. One query for the certificates."""
    today = today or local_today()
    manager = aliased(Staff)
    rows = session.execute(
        select(Certificate.id, Certificate.type, Certificate.number, Certificate.expires_on,
               Staff.id, Staff.name, Staff.user_id, manager.user_id)
        .join(Staff, Staff.id == Certificate.staff_id)
        .outerjoin(manager, manager.id == Staff.manager_id)
        .where(Staff.is_active, Certificate.expires_on.between(
            today, today + timedelta(days=max(REMINDER_DAYS))), services.not_renewed())
        .order_by(Certificate.expires_on, Certificate.id)
    ).all()
    created = 0
    with force_locale(REMINDER_LOCALE):
        for (certificate_id, kind, number, expires_on, staff_id, name, holder,
             manager_user) in rows:
            days = stage((expires_on - today).days)
            if days is None:
                continue
            key = f"certificate:{certificate_id}:expiry:{days}"
            certificate = labels.CERTIFICATES.get(kind, kind)
            subject = _l("%(name)s: %(certificate)s expires on %(day)s",
                         name=name, certificate=certificate, day=expires_on.isoformat())
            body = _l("Certificate %(number)s (%(certificate)s) of %(name)s expires in %(days)d "
                      "days, on %(day)s. Renew it in time: work that needs it cannot be "
                      "dispatched to an expired holder.",
                      number=number, certificate=certificate, name=name,
                      days=(expires_on - today).days, day=expires_on.isoformat())
            if holder is not None:
                created += notify(session, user_ids=[holder], subject=subject, body=body,
                                  dedupe_key=key)
            if manager_user is not None and manager_user != holder:
                created += notify(session, user_ids=[manager_user], subject=subject, body=body,
                                  link=f"/training/staff/{staff_id}", dedupe_key=key)
    return created
