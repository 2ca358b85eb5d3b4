"""E-mail for notifications, read once when the app starts (core/settings.py). With no
SMTP host set, notifications stay in-app only."""

from collections.abc import Mapping
from dataclasses import dataclass

from aftersales.core.mail import SmtpSettings, smtp_settings
from aftersales.core.settings import section


@dataclass(frozen=True)
class NotificationSettings:
    smtp: SmtpSettings | None


def _read(config: Mapping) -> NotificationSettings:
    return NotificationSettings(smtp=smtp_settings(config))


current = section("notifications", _read)
