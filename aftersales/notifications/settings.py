"""E-mail for notifications, read once when the app starts (core/settings.py). With no
SMTP host set, notifications stay in-app only."""

from collections.abc import Mapping
from dataclasses import dataclass

from aftersales.core.settings import flag, optional_text, section, text, whole
from aftersales.notifications.mail import SmtpSettings


@dataclass(frozen=True)
class NotificationSettings:
    smtp: SmtpSettings | None


def _read(config: Mapping) -> NotificationSettings:
    host = text(config, "SMTP_HOST", "")
    if not host:
        return NotificationSettings(smtp=None)
    return NotificationSettings(smtp=SmtpSettings(
        host=host,
        port=whole(config, "SMTP_PORT", 25, minimum=1, maximum=65535),
        sender=text(config, "SMTP_FROM", "aftersales@localhost"),
        username=optional_text(config, "SMTP_USERNAME"),
        password=optional_text(config, "SMTP_PASSWORD"),
        starttls=flag(config, "SMTP_STARTTLS", False),
    ))


current = section("notifications", _read)
