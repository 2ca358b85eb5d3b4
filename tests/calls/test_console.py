from aftersales.calls.models import Call
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.conftest import csrf_from
from tests.factories import home_outlet, make_customer, make_serial, make_ticket, make_user


def test_the_console_shows_the_callers_products_and_open_work_orders(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷", phone="13800001111")
    make_serial(serial="AC2601000010001", customer=customer)
    ticket = make_ticket(customer=customer)
    sign_in("zhangmin")
    page = client.get("/calls/console?number=13800001111").get_data(as_text=True)
    assert "李雷" in page and "AC2601000010001" in page and ticket.number in page


def test_taking_a_call_logs_it_and_opens_the_work_order_linked_to_it(client, sign_in):
    home_outlet()  # the outlet that takes the work
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷", phone="13800001111")
    sign_in("zhangmin")
    path = "/calls/console?number=13800001111"
    response = client.post("/calls/console", data={
        "number": "13800001111", "customer_id": customer.id, "type": "repair",
        "priority": "normal", "description": "洗衣机漏水", "note": "报修",
        "csrf_token": csrf_from(client, path),
    })
    assert response.status_code == 302
    call, ticket = db.session.query(Call).one(), db.session.query(Ticket).one()
    assert (call.outcome, call.customer_id, call.ticket_id) == ("answered", customer.id, ticket.id)
    assert ticket.received_at == call.answered_at


def test_a_work_order_opened_from_a_call_came_in_through_the_hotline(client, sign_in):
    home_outlet()
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷", phone="13800001111")
    sign_in("zhangmin")
    client.post("/calls/console", data={
        "number": "13800001111", "customer_id": customer.id, "type": "repair",
        "priority": "normal", "description": "洗衣机漏水",
        "csrf_token": csrf_from(client, "/calls/console?number=13800001111"),
    })
    assert db.session.query(Ticket).one().channel == "hotline"


def test_a_bad_work_order_logs_nothing(client, sign_in):
    make_user("agent", username="zhangmin")
    make_customer(name="李雷", phone="13800001111")
    sign_in("zhangmin")
    path = "/calls/console?number=13800001111"
    response = client.post("/calls/console", data={
        "number": "13800001111", "type": "repair", "description": "漏水",
        "csrf_token": csrf_from(client, path),
    })
    assert response.status_code == 422
    assert 'id="e-customer_id"' in response.get_data(as_text=True)
    assert db.session.query(Call).count() == 0


def test_a_malformed_answer_time_is_said_at_the_top_and_nothing_is_logged(client, sign_in):
    make_user("agent", username="zhangmin")
    make_customer(name="李雷", phone="13800001111")
    sign_in("zhangmin")
    response = client.post("/calls/console", data={
        "number": "13800001111", "answered_at": "soon", "note": "报修",
        "csrf_token": csrf_from(client, "/calls/console?number=13800001111"),
    })
    assert response.status_code == 422
    assert 'class="form-error"' in response.get_data(as_text=True)
    assert db.session.query(Call).count() == 0


def test_a_call_from_a_number_that_is_not_chinese_is_marked_beside_it(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/calls/console", data={
        "number": "12345", "csrf_token": csrf_from(client, "/calls/console?number=12345"),
    })
    assert response.status_code == 422
    assert 'id="e-caller_number"' in response.get_data(as_text=True)


def test_a_caller_found_by_name_is_logged_with_the_number_typed_in_its_own_field(
        client, sign_in):
    make_user("agent", username="zhangmin")
    make_customer(name="李雷", phone="13800001111")
    sign_in("zhangmin")
    path = "/calls/console?number=李雷"
    assert 'name="caller_number" value=""' in client.get(path).get_data(as_text=True)
    response = client.post("/calls/console", data={
        "number": "李雷", "caller_number": "139 0000 2222", "note": "咨询",
        "csrf_token": csrf_from(client, path),
    })
    assert response.status_code == 302
    assert db.session.query(Call).one().caller_number == "13900002222"


def test_the_callers_number_is_prefilled_when_the_look_up_is_a_number(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    page = client.get("/calls/console?number=13800001111").get_data(as_text=True)
    assert 'name="caller_number" value="13800001111"' in page


def test_the_product_chosen_stays_chosen_on_a_refused_form(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer(name="李雷", phone="13800001111")
    make_serial(serial="AC2601000010001", customer=customer)
    sign_in("zhangmin")
    response = client.post("/calls/console", data={
        "number": "AC2601000010001", "caller_number": "12345", "customer_id": customer.id,
        "serial": "AC2601000010001", "description": "漏水",
        "csrf_token": csrf_from(client, "/calls/console?number=AC2601000010001"),
    })
    assert response.status_code == 422
    assert '<option value="AC2601000010001" selected>' in response.get_data(as_text=True)
