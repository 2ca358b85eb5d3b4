"""The Aliyun SMS adapter against a fake Aliyun on 127.0.0.1 that checks each request's
signature as Aliyun does and answers as Aliyun answers."""

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from aftersales.extensions import db
from aftersales.messaging import aliyun, jobs, services, settings
from aftersales.messaging.labels import Channel, MessageStatus
from aftersales.messaging.models import OutgoingMessage
from aftersales.messaging.settings import AliyunSettings
from tests.factories import make_customer

SECRET = "testsecret"


class FakeAliyun(BaseHTTPRequestHandler):
    answer = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0",
              "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}
    received: list

    def do_GET(self):  # noqa: N802 (http.server's name)
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        given = params.pop("Signature", None)
        if given != aliyun.signature(SECRET, "GET", params):
            self._reply(400, {"Code": "SignatureDoesNotMatch", "Message": "Specified "
                              "signature is not matched with our calculation."})
            return
        self.received.append(params)
        self._reply(200, self.answer)

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args):
        pass


@pytest.fixture
def fake_aliyun(settings_changed):
    handler = type("Handler", (FakeAliyun,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings_changed("messaging", sms_backend="aliyun", aliyun=AliyunSettings(
        endpoint=f"http://127.0.0.1:{server.server_port}/", access_key_id="testid",
        access_key_secret=SECRET, sign_name="阿里云短信测试",
        template_codes={"work_order_received": "SMS_154950909"}))
    yield handler
    server.shutdown()
    server.server_close()


def _queue(template="work_order_received"):
    services.send(db.session, template=template, values={"number": "WO-2026-0042"},
                  channel=Channel.SMS, essential=True,
                  customer_id=make_customer(phone="13912345678").id)
    db.session.commit()


def _message():
    return db.session.scalar(select(OutgoingMessage))


def test_a_signed_request_sends_the_template_with_its_values(fake_aliyun):
    _queue()
    assert jobs.deliver(db.session) == 1
    [request] = fake_aliyun.received
    assert (request["Action"], request["PhoneNumbers"], request["TemplateCode"]) == (
        "SendSms", "13912345678", "SMS_154950909")
    assert json.loads(request["TemplateParam"]) == {"number": "WO-2026-0042"}
    assert _message().provider_message_id == "900619746936498440^0"


def test_a_wrong_secret_is_refused_and_recorded_as_failed(fake_aliyun, settings_changed):
    settings_changed("messaging", aliyun=dataclasses.replace(
        settings.current().aliyun, access_key_secret="not-the-secret"))
    _queue()
    jobs.deliver(db.session)
    message = _message()
    assert message.status == MessageStatus.FAILED
    assert message.error.startswith("SignatureDoesNotMatch")


def test_a_refused_number_is_recorded_with_aliyuns_reason(fake_aliyun):
    fake_aliyun.answer = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
    _queue()
    jobs.deliver(db.session)
    assert (_message().status, _message().error) == (
        MessageStatus.FAILED, "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号")


def test_flow_control_is_tried_again_later(fake_aliyun):
    fake_aliyun.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}
    _queue()
    jobs.deliver(db.session)
    assert (_message().status, _message().attempts) == (MessageStatus.QUEUED, 1)


def test_a_template_without_an_aliyun_code_fails_without_calling_aliyun(fake_aliyun):
    services.send(db.session, template="work_order_completed", values={"number": "WO-1"},
                  channel=Channel.SMS, essential=True, address="13912345678")
    db.session.commit()
    jobs.deliver(db.session)
    assert _message().status == MessageStatus.FAILED and fake_aliyun.received == []


def test_values_are_percent_encoded_as_aliyun_signs_them():
    """RFC 3986, as Aliyun documents: a space is %20 (not +), * is %2A, ~ is kept."""
    assert aliyun.percent_encode("a b*c~d/阿") == "a%20b%2Ac~d%2F%E9%98%BF"
