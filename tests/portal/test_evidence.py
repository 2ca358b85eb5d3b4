"""The portal's figure for clause 5.3.1.2: the share of its online services customers used
in the period, recounted from their acts."""

from datetime import timedelta

from aftersales.core.clock import local_today
from aftersales.customers import attestations
from aftersales.evidence.compliance.registry import Period, names_of, registered
from aftersales.extensions import db
from aftersales.portal.models import AuthenticityCheck
from tests.evidence.factories import make_document
from tests.factories import make_ticket


def _act(ticket, step):
    return attestations.record_act(db.session, customer_id=ticket.customer_id,
                                   record_type="ticket", record_id=ticket.id, step=step,
                                   channel="portal_code", user_agent="")


def _measure():
    today = local_today()
    return registered()["portal.online_service"].func(
        db.session, Period(today - timedelta(days=30), today), 1.0)


def test_no_use_of_the_portal_is_nothing_used_not_no_data():
    measure = _measure()
    assert measure.value == 0.0 and measure.checked == 4


def test_each_service_used_counts_once_whatever_the_number_of_acts():
    ticket = make_ticket()
    for step in ("track", "track", "accept_quote", "confirm_arrival"):
        _act(ticket, step)
    measure = _measure()
    assert (measure.passed, measure.checked, measure.value) == (2, 4, 0.5)


def test_the_records_are_the_acts_of_the_period_with_their_steps():
    ticket = make_ticket()
    acts = [_act(ticket, "track"), _act(ticket, "report")]
    detail = db.session.execute(_measure().detail).all()
    assert sorted((row.id, row.step) for row in detail) == sorted(
        (act.id, act.step) for act in acts)


def _published_measure():
    today = local_today()
    return registered()["portal.published_commitments"].func(
        db.session, Period(today - timedelta(days=30), today), 1.0)


def test_published_commitments_count_the_public_kinds_in_force():
    make_document("service_commitments", "服务承诺")
    make_document("fee_schedule", "收费标准")
    make_document("warranty_policy", "保修规定", approve=False)  # a draft is not published
    make_document("service_manual", "售后服务手册")  # staff-only: not counted
    measure = _published_measure()
    assert (measure.passed, measure.checked) == (2, 5)


def test_published_commitments_records_are_the_versions_shown():
    _document, version = make_document("service_commitments", "服务承诺")
    assert db.session.scalars(_published_measure().records).all() == [version.id]


def test_authenticity_checks_count_the_look_ups_of_the_period(client):
    client.get("/portal/verify", query_string={"code": "FAKE-0001"})
    client.get("/portal/verify", query_string={"code": "FAKE-0002"})
    today = local_today()
    measure = registered()["portal.authenticity_checks"].func(
        db.session, Period(today - timedelta(days=30), today), 1.0)
    assert measure.value == 2.0 and len(db.session.scalars(measure.records).all()) == 2


def test_a_look_up_is_named_by_when_and_what_it_found(client):
    client.get("/portal/verify", query_string={"code": "FAKE-0001"})
    (check_id,) = db.session.scalars(db.select(AuthenticityCheck.id)).all()
    assert "·" in names_of(db.session, "portal_authenticity_checks", [check_id])[check_id]
