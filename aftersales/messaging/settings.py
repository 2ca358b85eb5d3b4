"""How messages leave: the SMS backend (`outbox`: kept here, marked delivered, for
development; `aliyun`: Alibaba Cloud SMS), and the mail server for e-mail (the
AFTERSALES_SMTP_* settings notifications use; none: e-mail stays in the outbox), read once
when the app starts (core/settings.py). Portal messages are delivered into the outbox."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from aftersales.core.mail import SmtpSettings, smtp_settings
from aftersales.core.settings import parsed, section, text
from aftersales.messaging.labels import TEMPLATES

SMS_BACKENDS = ("outbox", "aliyun")
ALIYUN_ENDPOINT = "https://dysmsapi.aliyuncs.com/"


@dataclass(frozen=True)
class AliyunSettings:
    endpoint: str
    access_key_id: str
    access_key_secret: str
    sign_name: str
    # Our template key -> the template code approved in the Aliyun console.
    template_codes: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0


@dataclass(frozen=True)
class MessagingSettings:
    sms_backend: str
    aliyun: AliyunSettings | None
    smtp: SmtpSettings | None = None


def _backend(value: str) -> str:
    if value not in SMS_BACKENDS:
        raise ValueError(f"one of {', '.join(SMS_BACKENDS)}")
    return value


def _template_codes(value: str) -> dict[str, str]:
    """"work_order_received=SMS_1234,engineer_on_the_way=SMS_5678"."""
    codes = {}
    for pair in filter(None, (part.strip() for part in value.split(","))):
        key, sep, code = pair.partition("=")
        if not sep or key.strip() not in TEMPLATES or not code.strip():
            raise ValueError(f"{pair!r}: give template=code for a known template")
        codes[key.strip()] = code.strip()
    return codes


def _required(value: str) -> str:
    if not value:
        raise ValueError("required with the aliyun SMS backend")
    return value


def _read(config: Mapping) -> MessagingSettings:
    backend = parsed(config, "MESSAGING_SMS_BACKEND", "outbox", _backend)
    if backend != "aliyun":
        return MessagingSettings(sms_backend=backend, aliyun=None, smtp=smtp_settings(config))
    return MessagingSettings(sms_backend=backend, aliyun=AliyunSettings(
        endpoint=text(config, "MESSAGING_ALIYUN_ENDPOINT", ALIYUN_ENDPOINT),
        access_key_id=parsed(config, "MESSAGING_ALIYUN_ACCESS_KEY_ID", "", _required),
        access_key_secret=parsed(config, "MESSAGING_ALIYUN_ACCESS_KEY_SECRET", "", _required),
        sign_name=parsed(config, "MESSAGING_ALIYUN_SIGN_NAME", "", _required),
        template_codes=parsed(config, "MESSAGING_ALIYUN_TEMPLATES", "", _template_codes),
    ), smtp=smtp_settings(config))


current = section("messaging", _read)
