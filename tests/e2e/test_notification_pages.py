import re

from playwright.sync_api import expect

from aftersales.extensions import db
from aftersales.notifications.services import notify
from tests.e2e.conftest import sign_in
from tests.factories import make_user


def test_a_user_sees_the_unread_count_and_opens_the_notification(phone):
    user = make_user("manager", username="lijing")
    notify(db.session, user_ids=[user.id], subject="工单 W-1 即将超时",
           body="响应时限还剩 30 分钟。", link="/tickets", dedupe_key="ticket:1:risk")
    db.session.commit()
    sign_in(phone, "lijing")
    badge = phone.locator("#nav-notifications .badge")
    expect(badge).to_have_text("1")
    phone.click("#nav-notifications")
    expect(phone.locator(".notice.unread")).to_contain_text("响应时限还剩 30 分钟。")
    phone.click(".notice-open")
    expect(phone).to_have_url(re.compile(r"/tickets$"))
    expect(badge).to_have_count(0)
