from playwright.sync_api import expect

from aftersales.extensions import db
from aftersales.tickets import services
from tests.e2e.conftest import sign_in
from tests.factories import make_outlet, make_ticket, make_user
from tests.tickets.stamp_helpers import located_customer


def test_a_dispatcher_sends_the_suggested_technician_from_the_board(page):
    near_outlet = make_outlet(latitude="39.910000", longitude="116.400000")
    near = make_user("technician", outlet_id=near_outlet.id)
    make_user("technician", outlet_id=make_outlet(latitude="40.100000",
                                                   longitude="116.700000").id)
    make_user("dispatcher", username="liuyang")
    ticket = make_ticket(customer=located_customer(), outlet_id=near_outlet.id)
    db.session.commit()
    sign_in(page, "liuyang")
    page.click("nav.nav a[href='/dispatch']")
    card = page.locator(f"#ticket-{ticket.id}")
    expect(card.locator(".suggestions li").first).to_contain_text(near.display_name)
    expect(card.locator("select")).to_have_value(str(near.id))
    quick = card.locator(".quick-assign button")
    expect(quick).to_contain_text(near.display_name)
    quick.click()
    expect(page.locator(".flash")).to_contain_text(ticket.number)
    db.session.rollback()
    assert services.get_ticket(db.session, ticket.id).technician_id == near.id


def test_on_a_phone_a_dispatcher_chooses_another_technician_from_the_fold(phone):
    near_outlet = make_outlet(latitude="39.910000", longitude="116.400000")
    make_user("technician", outlet_id=near_outlet.id)
    second = make_user("technician", outlet_id=near_outlet.id)
    dispatcher = make_user("dispatcher", username="liuyang")
    busy = make_ticket(outlet_id=near_outlet.id)
    services.move_ticket(db.session, busy, services.Move("assigned", technician_id=second.id),
                         dispatcher, True)
    ticket = make_ticket(customer=located_customer(), outlet_id=near_outlet.id)
    db.session.commit()
    sign_in(phone, "liuyang")
    phone.goto("/dispatch")
    card = phone.locator(f"#ticket-{ticket.id}")
    expect(card.locator(".quick-assign button")).not_to_contain_text(second.display_name)
    expect(card.locator("select")).to_be_hidden()
    card.locator(".choose-technician summary").click()
    card.locator("select").select_option(str(second.id))
    card.locator(".choose-technician button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text(ticket.number)
    db.session.rollback()
    assert services.get_ticket(db.session, ticket.id).technician_id == second.id


def test_the_board_maps_a_waiting_order_linked_to_its_suggested_technician(page):
    outlet = make_outlet(latitude="39.910000", longitude="116.400000")
    technician = make_user("technician", outlet_id=outlet.id)
    make_user("dispatcher", username="liuyang")
    ticket = make_ticket(customer=located_customer(), outlet_id=outlet.id)
    db.session.commit()
    sign_in(page, "liuyang")
    page.goto("/dispatch")
    board_map = page.locator("#dispatch-map svg")
    order = board_map.locator(f"a[href='#ticket-{ticket.id}']")
    expect(order).to_contain_text(ticket.number)
    expect(board_map.locator(f"a[href='#technician-{technician.id}']")).to_contain_text(
        technician.display_name)
    expect(board_map.locator(".chart-link")).to_have_count(1)
