from sqlalchemy import update

from aftersales.extensions import db
from aftersales.tickets import field_work, services
from aftersales.tickets.labels import STATE_LABELS
from aftersales.tickets.models import Ticket
from tests.conftest import csrf_from
from tests.factories import make_customer, make_serial, make_ticket, make_user, signature_png
from tests.tickets.stamp_helpers import assigned_ticket, send


def test_the_list_filters_by_state(client, sign_in):
    make_user("dispatcher", username="liuyang")
    make_ticket(description="空调漏水")
    sign_in("liuyang")
    assert "WO0000" in client.get("/tickets?state=new").get_data(as_text=True)
    assert "WO0000" not in client.get("/tickets?state=closed").get_data(as_text=True)


def test_an_unknown_filter_value_is_ignored_not_an_error(client, sign_in):
    make_user("dispatcher", username="liuyang")
    sign_in("liuyang")
    assert client.get("/tickets?state=bogus&priority=x").status_code == 200


def test_opening_without_a_description_explains_the_field(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    path = f"/tickets/new?customer_id={customer.id}"
    response = client.post(path, data={"type": "repair", "priority": "normal",
                                       "description": " ", "csrf_token": csrf_from(client, path)})
    assert response.status_code == 422
    assert 'id="e-description"' in response.get_data(as_text=True)


def test_a_bad_report_time_explains_the_field(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    path = f"/tickets/new?customer_id={customer.id}"
    response = client.post(path, data={"type": "repair", "description": "漏水",
                                       "received_at": "yesterday",
                                       "csrf_token": csrf_from(client, path)})
    assert response.status_code == 422
    assert 'id="e-received_at"' in response.get_data(as_text=True)


def test_the_new_page_finds_customers_by_serial(client, sign_in):
    make_user("agent", username="zhangmin")
    make_serial(serial="AC2601000010001", customer=make_customer(name="李雷"))
    sign_in("zhangmin")
    page = client.get("/tickets/new?customer_q=AC2601000010001").get_data(as_text=True)
    assert "李雷" in page


def test_an_illegal_step_from_the_page_is_explained_not_a_500(client, sign_in):
    make_user("dispatcher", username="liuyang")
    ticket = make_ticket()
    sign_in("liuyang")
    path = f"/tickets/{ticket.id}"
    response = client.post(f"{path}/moves", data={"to_state": "closed",
                                                  "csrf_token": csrf_from(client, path)})
    assert response.status_code == 409
    assert "form-error" in response.get_data(as_text=True)


def test_a_technician_sees_only_their_open_work_orders(client, sign_in):
    from aftersales.extensions import db
    from aftersales.tickets import services

    dispatcher = make_user("dispatcher")
    mine = make_user("technician", username="zhaoqiang")
    ticket = make_ticket(description="我的工单")
    make_ticket(description="别人的工单")
    services.move_ticket(db.session, ticket, services.Move("assigned", technician_id=mine.id),
                         dispatcher, True)
    db.session.commit()
    sign_in("zhaoqiang")
    page = client.get("/tickets/mine").get_data(as_text=True)
    assert ticket.number in page
    assert page.count("WO0") == 1


def test_a_work_order_outside_the_users_outlet_is_not_found(client, sign_in):
    from tests.factories import make_outlet

    own, other = make_outlet(code="BJ-01"), make_outlet(code="SH-01", region_code="310100")
    make_user("dispatcher", username="chenchen", outlet_id=own.id)
    ticket = make_ticket(outlet_id=other.id)
    sign_in("chenchen")
    assert client.get(f"/tickets/{ticket.id}").status_code == 404


def test_the_progress_names_who_took_each_step_by_their_name(client, sign_in):
    dispatcher = make_user("dispatcher", username="liuyang")
    ticket = make_ticket(actor=dispatcher)
    sign_in("liuyang")
    progress = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert f'<span class="actor">{dispatcher.display_name}</span>' in progress
    assert '<span class="actor">liuyang</span>' not in progress



def flash_of(page: str) -> str:
    return page.split('class="flash flash-success"')[1].split("</p>")[0]


def test_closing_a_work_order_says_it_is_closed(client, sign_in):
    ticket, technician, dispatcher = assigned_ticket()
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(state="on_site"))
    services.move_ticket(db.session, ticket, services.Move("resolved"), dispatcher, True)
    field_work.sign_off(db.session, ticket, "李雷", signature_png(), technician)
    db.session.commit()
    sign_in(dispatcher.username)
    path = f"/tickets/{ticket.id}"
    response = client.post(f"{path}/moves", data={"to_state": "closed",
                                                  "csrf_token": csrf_from(client, path)},
                           follow_redirects=True)
    said = flash_of(response.get_data(as_text=True))
    assert ticket.number in said and str(STATE_LABELS["closed"]) in said


def test_a_stamp_whose_step_was_refused_shows_as_an_error_on_the_work_order(client, sign_in):
    ticket, technician, _desk = assigned_ticket()
    send(ticket, technician, "finish")  # finishing before arriving: kept, the step refused
    db.session.commit()
    sign_in(technician.username)
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    row = page.split('class="stamp-row')[1].split("</tr>")[0]
    assert 'class="status off"' in row and "error-text" in row
    assert 'class="trail-dot verified flagged"' in page


def test_an_administrator_sees_the_service_address_without_street_and_door(client, sign_in):
    make_user("admin", username="wanglei")
    ticket = make_ticket()  # the customer lives at 朝阳区1号
    sign_in("wanglei")
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert "朝阳区1号" not in page and "朝阳区" in page


def test_a_dispatcher_sees_the_whole_service_address(client, sign_in):
    make_user("dispatcher", username="liuyang")
    ticket = make_ticket()  # the customer lives at 朝阳区1号
    sign_in("liuyang")
    assert "朝阳区1号" in client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
