"""An address names each place once: a municipality is its own province and city."""

from aftersales.core.geo import place_names
from aftersales.extensions import db
from aftersales.tickets.models import Ticket
from tests.factories import make_customer, make_ticket, make_user


def test_a_municipality_is_named_once():
    assert place_names("北京市", "北京市", "朝阳区", "建国路1号") == "北京市朝阳区建国路1号"


def test_a_province_and_its_city_are_both_named():
    assert (place_names("湖北省", "武汉市", "汉阳区", "汉阳大道1号")
            == "湖北省武汉市汉阳区汉阳大道1号")


def test_a_work_order_opened_for_a_beijing_customer_names_beijing_once():
    ticket = make_ticket(customer=make_customer())  # 北京市, 北京市, 朝阳区1号
    assert db.session.get(Ticket, ticket.id).service_address == "北京市朝阳区1号"


def test_the_new_work_order_page_names_beijing_once(client, sign_in):
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    page = client.get(f"/tickets/new?customer_id={customer.id}").get_data(as_text=True)
    assert "北京市朝阳区1号" in page and "北京市北京市" not in page
