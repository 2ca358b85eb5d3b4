"""Sending e-mail over SMTP; the one place that talks to a mail server."""

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage


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
