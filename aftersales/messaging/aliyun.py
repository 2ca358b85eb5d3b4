"""Alibaba Cloud SMS (dysmsapi SendSms, API version 2017-05-25), over plain HTTPS: the one
place that talks to the provider. Requests are signed as Aliyun's RPC APIs document
(signature version 1.0): the parameters sorted by name and percent-encoded (RFC 3986),
"GET&%2F&" + the encoded query string signed with HMAC-SHA1 keyed by the secret + "&",
base64-encoded."""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from aftersales.messaging.failures import DeliveryFailed
from aftersales.messaging.settings import AliyunSettings

API_VERSION = "2017-05-25"


def percent_encode(value: str) -> str:
    return quote(value, safe="-_.~")


def signature(secret: str, method: str, params: dict[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(key)}={percent_encode(params[key])}"
                         for key in sorted(params))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_query(settings: AliyunSettings, phone: str, template_code: str,
                 values: dict) -> str:
    params = {
        "AccessKeyId": settings.access_key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": phone,
        "RegionId": "cn-hangzhou",
        "SignName": settings.sign_name,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "TemplateCode": template_code,
        "TemplateParam": json.dumps({key: str(value) for key, value in values.items()},
                                    ensure_ascii=False),
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": API_VERSION,
    }
    params["Signature"] = signature(settings.access_key_secret, "GET", params)
    return "&".join(f"{percent_encode(key)}={percent_encode(value)}"
                    for key, value in params.items())


def send_sms(settings: AliyunSettings, phone: str, template: str, values: dict) -> str:
    """Send one SMS; the provider's id for it (BizId). Raises DeliveryFailed."""
    template_code = settings.template_codes.get(template)
    if template_code is None:
        raise DeliveryFailed(f"no Aliyun template code for {template}", final=True)
    url = f"{settings.endpoint.rstrip('/')}/?{signed_query(settings, phone, template_code, values)}"
    try:
        with urllib.request.urlopen(url, timeout=settings.timeout) as response:  # noqa: S310
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        answer = _error_answer(error)
        if answer is None:
            raise DeliveryFailed(f"HTTP {error.code}", final=False) from error
    except (OSError, ValueError) as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}", final=False) from error
    if answer.get("Code") != "OK":
        code = str(answer.get("Code"))
        # Aliyun's flow control and its own faults pass; a refused request stays refused.
        final = not (code.startswith("isv.BUSINESS_LIMIT_CONTROL") or code.startswith("Service"))
        raise DeliveryFailed(f"{code}: {answer.get('Message')}", final=final)
    return str(answer.get("BizId") or answer.get("RequestId"))


def _error_answer(error: urllib.error.HTTPError) -> dict | None:
    """Aliyun answers a refused request with an HTTP error and its reason as JSON."""
    try:
        return json.load(error)
    except ValueError:
        return None
