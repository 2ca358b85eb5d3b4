"""The work-order list finds a work order by what the caller reads out: its number as
displayed, their name or phone, or the unit's serial."""

import pytest

from tests.factories import make_customer, make_serial, make_ticket, make_user


@pytest.fixture
def desk(client, sign_in):
    make_user("dispatcher", username="liuyang")
    sign_in("liuyang")
    return client


def _numbers_found(client, query: str) -> str:
    return client.get("/tickets", query_string={"q": query}).get_data(as_text=True)


def test_the_number_as_displayed_finds_the_work_order(desk):
    wanted, other = make_ticket(), make_ticket()
    page = _numbers_found(desk, wanted.number)
    assert wanted.number in page and other.number not in page


def test_the_bare_number_finds_the_work_order(desk):
    wanted, other = make_ticket(), make_ticket()
    page = _numbers_found(desk, str(wanted.id))
    assert wanted.number in page and other.number not in page


def test_the_start_of_the_customers_name_finds_their_work_orders(desk):
    wanted = make_ticket(customer=make_customer(name="欧阳娜娜"))
    other = make_ticket(customer=make_customer(name="李雷"))
    page = _numbers_found(desk, "欧阳")
    assert wanted.number in page and other.number not in page


def test_the_customers_phone_finds_their_work_orders(desk):
    wanted = make_ticket(customer=make_customer(phone="13812345678"))
    other = make_ticket()
    page = _numbers_found(desk, "13812345678")
    assert wanted.number in page and other.number not in page


def test_the_serial_finds_the_units_work_orders(desk):
    customer = make_customer()
    make_serial(serial="AC2601000010001", customer=customer)
    wanted = make_ticket(customer=customer, serial="AC2601000010001")
    other = make_ticket(customer=customer)
    page = _numbers_found(desk, "ac2601000010001")
    assert wanted.number in page and other.number not in page


def test_a_search_keeps_to_the_readers_outlets(client, sign_in):
    from tests.factories import make_outlet

    mine, theirs = make_outlet(), make_outlet()
    make_user("dispatcher", username="wangfang", outlet_id=mine.id)
    customer = make_customer(name="欧阳娜娜")
    visible = make_ticket(customer=customer, outlet_id=mine.id)
    hidden = make_ticket(customer=customer, outlet_id=theirs.id)
    sign_in("wangfang")
    page = _numbers_found(client, "欧阳")
    assert visible.number in page and hidden.number not in page


def test_the_search_reaches_the_api(client):
    from tests.factories import bearer, make_token

    wanted = make_ticket(customer=make_customer(phone="13812345678"))
    make_ticket()
    response = client.get("/api/v1/tickets", query_string={"q": "13812345678"},
                          headers=bearer(make_token(make_user("dispatcher"))))
    assert [item["id"] for item in response.json["items"]] == [wanted.id]


def test_a_search_is_one_query_for_any_number_of_matches(desk, count_queries):
    customer = make_customer(name="欧阳娜娜")
    make_ticket(customer=customer)
    with count_queries() as few:
        _numbers_found(desk, "欧阳")
    for _ in range(5):
        make_ticket(customer=customer)
    with count_queries() as many:
        _numbers_found(desk, "欧阳")
    assert len(many) == len(few)
