"""While a work order is being opened the desk sees the outlet it goes to and may send it
to another of its outlets that serves the place."""

from sqlalchemy import select

from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.conftest import csrf_from
from tests.factories import make_customer, make_outlet, make_user

# make_customer lives in 北京市 朝阳区 (geocoded to its district)
CHAOYANG = {"latitude": "39.920000", "longitude": "116.450000"}  # 0.6 km away
HAIDIAN = {"latitude": "39.960000", "longitude": "116.300000"}  # further


def test_the_new_page_shows_the_covering_outlet_and_its_distance(client, sign_in):
    make_outlet("BJ-CY", name="朝阳服务站", **CHAOYANG)
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    page = client.get(f"/tickets/new?customer_id={customer.id}").get_data(as_text=True)
    assert "<strong>朝阳服务站 · 0.6 km" in page and 'name="outlet_id"' in page


def test_the_agent_may_send_the_work_to_another_outlet_serving_the_place(client, sign_in):
    make_outlet("BJ-CY", **CHAOYANG)
    haidian = make_outlet("BJ-HD", **HAIDIAN)
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    path = f"/tickets/new?customer_id={customer.id}"
    response = client.post(path, data={
        "customer_id": customer.id, "type": "repair", "priority": "normal",
        "description": "不制冷", "outlet_id": haidian.id, "csrf_token": csrf_from(client, path)})
    assert response.status_code == 302
    assert db.session.scalar(select(Ticket.outlet_id)) == haidian.id


def test_the_console_offers_the_outlets_nearest_first(client, sign_in):
    make_outlet("BJ-HD", name="海淀服务站", **HAIDIAN)
    make_outlet("BJ-CY", name="朝阳服务站", **CHAOYANG)
    make_user("agent", username="zhangmin")
    make_customer(phone="13800001111")
    sign_in("zhangmin")
    page = client.get("/calls/console?number=13800001111").get_data(as_text=True)
    assert page.index("朝阳服务站 ·") < page.index("海淀服务站 ·")
