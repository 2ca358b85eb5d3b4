"""One-time links and codes for the customer's own confirmations (customers/attestations.py)."""

from datetime import timedelta

import pytest

from aftersales.core.clock import utcnow
from aftersales.customers import attestations
from aftersales.customers.models import CustomerCode, CustomerLink
from aftersales.extensions import db
from tests.factories import make_customer, make_ticket


def _link(ticket, step="confirm_arrival", lifetime=timedelta(hours=1), **extra):
    return attestations.issue_link(
        db.session, step=step, record_type="ticket", record_id=ticket.id,
        customer_id=ticket.customer_id, channel="sms_link", lifetime=lifetime, **extra)


def _use(token, ticket, step="confirm_arrival"):
    return attestations.use_link(db.session, token, step=step, record_type="ticket",
                                 record_id=ticket.id)


def test_only_the_hash_of_a_link_token_is_stored():
    token = _link(make_ticket())
    stored = db.session.scalar(db.select(CustomerLink.token_hash))
    assert token not in stored and len(stored) == 64


def test_a_link_works_once():
    ticket = make_ticket()
    token = _link(ticket)
    assert _use(token, ticket).used_at is not None
    with pytest.raises(attestations.LinkRefused) as refused:
        _use(token, ticket)
    assert refused.value.reason == "used"


def test_an_expired_link_is_refused():
    ticket = make_ticket()
    token = _link(ticket, lifetime=timedelta(seconds=-1))
    with pytest.raises(attestations.LinkRefused) as refused:
        _use(token, ticket)
    assert refused.value.reason == "expired"


def test_a_link_for_another_record_is_refused_and_stays_unused():
    ticket, other = make_ticket(), make_ticket()
    token = _link(ticket)
    with pytest.raises(attestations.LinkRefused) as refused:
        _use(token, other)
    assert refused.value.reason == "elsewhere"
    assert attestations.link_of(db.session, token).used_at is None


def test_a_link_for_another_step_is_refused():
    ticket = make_ticket()
    token = _link(ticket)
    with pytest.raises(attestations.LinkRefused) as refused:
        _use(token, ticket, step="accept_quote")
    assert refused.value.reason == "elsewhere"


def test_an_unknown_token_is_refused():
    with pytest.raises(attestations.LinkRefused) as refused:
        attestations.link_of(db.session, "made-up")
    assert refused.value.reason == "unknown"


def test_acts_are_read_per_record_oldest_first():
    ticket = make_ticket()
    for step in ("confirm_arrival", "confirm_completion"):
        attestations.record_act(db.session, customer_id=ticket.customer_id, record_type="ticket",
                                record_id=ticket.id, step=step, channel="sms_link",
                                user_agent="Mozilla/5.0 MicroMessenger")
    acts = attestations.acts_of(db.session, "ticket", [ticket.id])[ticket.id]
    assert [act.step for act in acts] == ["confirm_arrival", "confirm_completion"]


def _code(customer):
    return attestations.issue_code(db.session, record_type="ticket", record_id=1,
                                   customer_id=customer.id)


def test_a_code_opens_its_record_once():
    issued = _code(make_customer())
    assert attestations.redeem_code(db.session, issued.id, issued.code).record_id == 1
    assert attestations.redeem_code(db.session, issued.id, issued.code) is None


def test_a_code_is_stored_as_a_keyed_hash():
    issued = _code(make_customer())
    stored = db.session.get(CustomerCode, issued.id).code_hash
    assert issued.code not in stored and len(stored) == 64


def test_a_code_dies_after_five_wrong_tries():
    issued = _code(make_customer())
    wrong = f"{(int(issued.code) + 1) % 1_000_000:06d}"
    for _ in range(attestations.CODE_TRIES):
        assert attestations.redeem_code(db.session, issued.id, wrong) is None
    assert attestations.redeem_code(db.session, issued.id, issued.code) is None


def test_an_expired_code_opens_nothing():
    issued = _code(make_customer())
    db.session.get(CustomerCode, issued.id).expires_at = utcnow() - timedelta(seconds=1)
    assert attestations.redeem_code(db.session, issued.id, issued.code) is None


def test_codes_are_swept_a_day_after_they_expire():
    customer = make_customer()
    old, fresh = _code(customer), _code(customer)
    db.session.get(CustomerCode, old.id).expires_at = utcnow() - timedelta(days=2)
    assert attestations.sweep_codes(db.session, utcnow()) == 1
    assert db.session.get(CustomerCode, fresh.id) is not None
