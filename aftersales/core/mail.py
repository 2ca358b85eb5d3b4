"""Sending e-mail over SMTP; the one place that talks to a mail server, for staff's
notifications and customers' messages alike, with the one set of SMTP settings."""

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage

from aftersales.core.settings import flag, optional_text, text, whole


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 20.0


def open_connection(settings: SmtpSettings) -> smtplib.SMTP:
    connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.starttls:
        connection.starttls()
    if settings.username:
        connection.login(settings.username, settings.password or "")
    return connection


def compose(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def smtp_settings(config: Mapping) -> SmtpSettings | None:
    """The mail server of AFTERSALES_SMTP_*; None when no host is set (nothing is mailed)."""
    host = text(config, "SMTP_HOST", "")
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=whole(config, "SMTP_PORT", 25, minimum=1, maximum=65535),
        sender=text(config, "SMTP_FROM", "aftersales@localhost"),
        username=optional_text(config, "SMTP_USERNAME"),
        password=optional_text(config, "SMTP_PASSWORD"),
        starttls=flag(config, "SMTP_STARTTLS", False),
    )
