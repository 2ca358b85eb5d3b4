"""The technician's phone with Chromium's geolocation emulation: depart, arrive inside the
geofence (verified), arrive 3 km away (flagged with its distance), a stamp sent offline
and one whose answer was lost, each stored once."""

from datetime import timedelta

from playwright.sync_api import expect

from aftersales.extensions import db
from aftersales.tickets.models import TicketStamp
from tests.e2e.conftest import PHONE, sign_in
from tests.tickets.stamp_helpers import assigned_ticket, at_distance


def on_the_road(browser, live_server, point):
    latitude, longitude = point
    context = browser.new_context(
        base_url=live_server, locale="zh-CN", permissions=["geolocation"],
        geolocation={"latitude": latitude, "longitude": longitude, "accuracy": 15}, **PHONE,
    )
    context.set_default_timeout(10_000)
    return context


def place(context, point):
    context.set_geolocation({"latitude": point[0], "longitude": point[1], "accuracy": 15})


def stamps_of(ticket_id):
    db.session.expire_all()
    return db.session.query(TicketStamp).filter_by(ticket_id=ticket_id).order_by(
        TicketStamp.id).all()


def drive_for_half_an_hour(ticket_id):
    """The drive between the stamps, without waiting for it: the departure moves back."""
    (departure,) = stamps_of(ticket_id)
    departure.device_at -= timedelta(minutes=30)
    departure.server_at -= timedelta(minutes=30)
    db.session.commit()


def test_the_technician_departs_and_arrives_inside_the_geofence(browser, live_server):
    ticket, technician, _desk = assigned_ticket()
    context = on_the_road(browser, live_server, at_distance(6000, bearing=90))
    phone = context.new_page()
    sign_in(phone, technician.username)
    phone.goto(f"/tickets/{ticket.id}")
    phone.get_by_role("button", name="出发", exact=True).click()
    expect(phone.locator(".heading-row .badge")).to_contain_text("已派工")
    drive_for_half_an_hour(ticket.id)
    place(context, at_distance(120))
    phone.get_by_role("button", name="到达", exact=True).click()
    expect(phone.locator(".heading-row .badge")).to_contain_text("已到场")
    expect(phone.locator(".stamp-result.ok").first).to_contain_text("已核验在现场")
    expect(phone.locator("#trail .trail-dot")).to_have_count(2)
    expect(phone.locator("#trail")).to_contain_text("已核验")
    assert [(s.kind, s.status) for s in stamps_of(ticket.id)] == [
        ("depart", "recorded"), ("arrive", "verified")]
    context.close()


def test_an_arrival_3_km_away_is_flagged_with_its_distance(browser, live_server):
    ticket, technician, _desk = assigned_ticket()
    context = on_the_road(browser, live_server, at_distance(3000, bearing=45))
    phone = context.new_page()
    sign_in(phone, technician.username)
    phone.goto(f"/tickets/{ticket.id}")
    phone.get_by_role("button", name="到达", exact=True).click()
    expect(phone.locator(".stamp-result.warn").first).to_contain_text("3000 米")
    expect(phone.locator("#trail .stamp-row.off_site")).to_contain_text("3000 m")
    (stamp,) = stamps_of(ticket.id)
    assert (stamp.status, stamp.distance_m) == ("off_site", 3000)
    context.close()


def test_a_stamp_whose_answer_was_lost_is_resent_and_stored_once(browser, live_server):
    ticket, technician, _desk = assigned_ticket()
    context = on_the_road(browser, live_server, at_distance(80))
    phone = context.new_page()
    sign_in(phone, technician.username)
    phone.goto(f"/tickets/{ticket.id}")

    def lose_the_answer(route):
        route.fetch()  # the server stores it, and the answer is lost on the way back
        route.fulfill(status=504, body="gateway timeout")

    phone.route("**/api/v1/tickets/*/stamps", lose_the_answer)
    phone.get_by_role("button", name="到达", exact=True).click()
    expect(phone.locator("[data-status]")).to_contain_text("无网络")  # kept on the phone
    expect(phone.locator(".stamp-queue li")).to_have_count(1)
    phone.unroute("**/api/v1/tickets/*/stamps")
    phone.reload()  # the queue is sent again on every page load
    expect(phone.locator(".stamp-queue li")).to_have_count(0)
    expect(phone.locator(".stamp-result.ok").first).to_contain_text("已核验在现场")
    (stamp,) = stamps_of(ticket.id)
    assert (stamp.kind, stamp.late) == ("arrive", False)
    context.close()


def test_a_stamp_taken_offline_is_queued_then_sent_late(browser, live_server):
    ticket, technician, _desk = assigned_ticket()
    context = on_the_road(browser, live_server, at_distance(60))
    phone = context.new_page()
    sign_in(phone, technician.username)
    phone.goto(f"/tickets/{ticket.id}")
    context.set_offline(True)
    phone.get_by_role("button", name="到达", exact=True).click()
    expect(phone.locator("[data-status]")).to_contain_text("无网络")
    expect(phone.locator(".stamp-queue li")).to_contain_text("到达")
    assert stamps_of(ticket.id) == []
    context.set_offline(False)  # the "online" event sends the queue
    expect(phone.locator(".heading-row .badge")).to_contain_text("已到场")
    (stamp,) = stamps_of(ticket.id)
    assert (stamp.late, stamp.status) == (True, "verified")
    context.close()


def test_a_stamp_whose_step_is_refused_shows_as_refused_not_as_done(browser, live_server):
    ticket, technician, _desk = assigned_ticket()
    context = on_the_road(browser, live_server, at_distance(50))
    phone = context.new_page()
    sign_in(phone, technician.username)
    phone.goto(f"/tickets/{ticket.id}")
    phone.get_by_role("button", name="完工", exact=True).click()  # finishing before arriving
    expect(phone.locator(".stamp-result.refused").first).to_be_visible()
    expect(phone.locator(".stamp-result.ok")).to_have_count(0)
    context.close()
