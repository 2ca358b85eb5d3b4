"""The public anti-counterfeit check (防伪查询): genuine or not, the warranty, never the
owner; the same page for a known and an unknown code; look-ups throttled per address."""

from aftersales.extensions import db
from aftersales.portal.models import AuthenticityCheck
from tests.factories import make_customer, make_product, make_serial

PATH = "/portal/verify"


def _unit():
    owner = make_customer(name="韩梅梅", phone="13812345678")
    unit = make_serial(serial="KT0001", product=make_product(), customer=owner)
    db.session.commit()
    return unit


def test_a_customer_without_an_account_opens_the_check(client):
    response = client.get(PATH)
    assert response.status_code == 200
    assert 'name="code"' in response.get_data(as_text=True)


def test_the_code_on_the_warranty_card_says_genuine_and_the_warranty(client):
    unit = _unit()
    page = client.get(PATH, query_string={"code": unit.verification_code}).get_data(as_text=True)
    assert "serial-verdict genuine" in page
    assert unit.warranty_expires_on.isoformat() in page


def test_the_owner_is_never_shown(client):
    unit = _unit()
    page = client.get(PATH, query_string={"code": unit.serial}).get_data(as_text=True)
    assert "韩梅梅" not in page and "1381234" not in page


def test_an_unknown_code_is_answered_with_the_same_page_and_status(client):
    unit = _unit()
    known = client.get(PATH, query_string={"code": unit.serial})
    unknown = client.get(PATH, query_string={"code": "FAKE-0001"})
    assert unknown.status_code == known.status_code == 200
    assert "serial-verdict unknown" in unknown.get_data(as_text=True)


def test_look_ups_past_the_limit_wait_with_retry_after(client, settings_changed):
    settings_changed("portal", lookups_per_window=3)
    statuses = [client.get(PATH, query_string={"code": f"X{n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(PATH, query_string={"code": "X9"})
    assert int(refused.headers["Retry-After"]) > 0


def test_the_empty_form_counts_no_look_up(client, settings_changed):
    settings_changed("portal", lookups_per_window=1)
    assert [client.get(PATH).status_code for _ in range(3)] == [200, 200, 200]


def test_ended_windows_are_swept_and_the_current_one_kept():
    from datetime import timedelta

    from aftersales.core import rate_limit
    from aftersales.core.clock import utcnow
    from aftersales.core.models import RateWindow

    now = utcnow()
    rate_limit.hit(db.session, "portal-verify", "10.0.0.1", 5, timedelta(minutes=10),
                   now - timedelta(hours=1))
    rate_limit.hit(db.session, "portal-verify", "10.0.0.1", 5, timedelta(minutes=10), now)
    assert rate_limit.sweep(db.session, now) == 1
    assert db.session.query(RateWindow).count() == 1



def test_each_look_up_is_counted_without_the_code(client):
    unit = _unit()
    client.get(PATH, query_string={"code": unit.serial})
    client.get(PATH, query_string={"code": "FAKE-0001"})
    checks = db.session.scalars(db.select(AuthenticityCheck).order_by(AuthenticityCheck.id))
    assert [check.genuine for check in checks] == [True, False]
