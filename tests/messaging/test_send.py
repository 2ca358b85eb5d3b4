"""Sending to customers: stored with the caller's change, in the customer's language,
skipped for those who opted out of what is not essential, delivered once."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales.core.errors import ValidationFailed
from aftersales.extensions import db
from aftersales.messaging import jobs, services
from aftersales.messaging.labels import Channel, MessageStatus
from aftersales.messaging.models import OutgoingMessage
from tests.factories import make_customer, make_user

RECEIVED = {"number": "WO-2026-0042"}


def _send(customer, template="work_order_received", values=RECEIVED, essential=True,
          **given):
    return services.send(db.session, template=template, values=values, channel=Channel.SMS,
                         essential=essential, customer_id=customer.id, **given)


def _messages():
    return db.session.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)).all()


def test_a_message_is_stored_in_the_callers_transaction():
    customer = make_customer()
    _send(customer)
    db.session.rollback()
    assert _messages() == []


def test_a_message_goes_to_the_customers_phone_queued():
    customer = make_customer(phone="13912345678")
    _send(customer)
    db.session.commit()
    [message] = _messages()
    assert (message.recipient, message.status, message.template) == (
        "13912345678", MessageStatus.QUEUED, "work_order_received")


def test_a_message_is_rendered_in_the_language_asked_for():
    message = _send(make_customer(), language="en")
    assert message.text == ("We have received your service request, work order WO-2026-0042. "
                            "We will contact you soon.")


def test_a_message_in_chinese_is_not_the_english_words():
    message = _send(make_customer(), language="zh")
    assert "WO-2026-0042" in message.text and message.language == "zh"


def test_values_that_do_not_fit_the_template_are_refused_naming_them():
    with pytest.raises(ValidationFailed) as refused:
        _send(make_customer(), values={"nummer": "WO-1"})
    assert refused.value.field == "values"


def test_a_non_essential_message_to_a_customer_who_opted_out_is_kept_as_skipped():
    customer = make_customer()
    services.record_preference(db.session, make_user("agent"), customer.id, opted_out=True)
    message = _send(customer, "satisfaction_survey", {"number": "WO-1", "link": "https://x/s"},
                    essential=False)
    db.session.commit()
    assert message.status == MessageStatus.SKIPPED_OPT_OUT
    assert jobs.deliver(db.session) == 0


def test_an_essential_message_reaches_a_customer_who_opted_out():
    customer = make_customer()
    services.record_preference(db.session, make_user("agent"), customer.id, opted_out=True)
    assert _send(customer, essential=True).status == MessageStatus.QUEUED


def test_opting_back_in_lets_non_essential_messages_through():
    customer, agent = make_customer(), make_user("agent")
    services.record_preference(db.session, agent, customer.id, opted_out=True)
    services.record_preference(db.session, agent, customer.id, opted_out=False)
    message = _send(customer, "satisfaction_survey", {"number": "WO-1", "link": "https://x/s"},
                    essential=False)
    assert message.status == MessageStatus.QUEUED


def test_the_job_delivers_a_message_once_however_often_it_runs():
    _send(make_customer())
    db.session.commit()
    assert jobs.deliver(db.session) == 1
    assert jobs.deliver(db.session) == 0
    [message] = _messages()
    assert (message.status, message.attempts) == (MessageStatus.KEPT, 1)


def test_a_message_claimed_by_another_sender_is_not_sent_again():
    _send(make_customer())
    db.session.commit()
    [message] = _messages()
    assert services.claim(db.session, message.id) is not None
    assert services.claim(db.session, message.id) is None


def test_a_failed_attempt_is_tried_again_later_then_given_up():
    message = _send(make_customer())
    for _ in range(services.MAX_ATTEMPTS):
        message.status = MessageStatus.QUEUED
        message.attempts += 1
        services.record_failure(message, "TimeoutError: timed out", final=False)
        if message.status == MessageStatus.QUEUED:
            assert message.next_attempt_at > message.created_at + timedelta(seconds=30)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, services.MAX_ATTEMPTS)
    assert message.error == "TimeoutError: timed out"


def test_an_email_needs_an_address():
    with pytest.raises(ValidationFailed) as refused:
        services.send(db.session, template="work_order_received", values=RECEIVED,
                      channel=Channel.EMAIL, essential=True, customer_id=make_customer().id)
    assert refused.value.field == "address"


def test_an_email_is_sent_through_the_smtp_server_in_the_customers_language(smtp_server):
    services.send(db.session, template="work_order_received", values=RECEIVED,
                  channel=Channel.EMAIL, essential=True, customer_id=make_customer().id,
                  address="wang.fang@example.com", language="en")
    db.session.commit()
    assert jobs.deliver(db.session) == 1
    [mail] = smtp_server.messages
    assert (mail["To"], mail["Subject"]) == ("wang.fang@example.com", "Work order received")
    assert "work order WO-2026-0042" in mail.get_content()


def test_an_unknown_channel_is_refused_naming_it():
    with pytest.raises(ValidationFailed) as refused:
        services.send(db.session, template="work_order_received", values=RECEIVED,
                      channel="fax", essential=True, customer_id=make_customer().id)
    assert refused.value.field == "channel"
