"""The main menu is built from what each module registers, filtered by the user's roles."""

import re

from aftersales.core.menu import _ENTRIES, menu_for
from tests.factories import make_user


def _menu_of(client, sign_in, *roles) -> list[str]:
    make_user(*roles, username="menu_user")
    sign_in("menu_user")
    page = client.get("/").get_data(as_text=True)
    return re.findall(r'id="nav-([a-z-]+)"', page)


def test_every_registered_entry_opens_a_page_of_the_application(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert [entry.endpoint for entry in _ENTRIES if entry.endpoint not in endpoints] == []


def test_an_agent_sees_the_desk_and_not_the_administration(client, sign_in):
    shown = _menu_of(client, sign_in, "agent")
    assert {"home", "console", "hotline", "work-orders", "notifications"} <= set(shown)
    assert not {"users", "my-work-orders", "dispatch"} & set(shown)


def test_a_technician_sees_their_own_work_orders(client, sign_in):
    assert "my-work-orders" in _menu_of(client, sign_in, "technician")


def test_the_entries_keep_their_registered_order(client, sign_in):
    shown = _menu_of(client, sign_in, "admin")
    order = [entry.name for entry in _ENTRIES]
    assert shown == sorted(shown, key=order.index)


def test_nobody_signed_out_gets_a_menu(app):
    with app.test_request_context():
        assert menu_for(None) == []
