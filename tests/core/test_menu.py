"""The main menu is built from what each module registers, filtered by the user's roles."""

import re

from aftersales.core.menu import _ENTRIES, MenuGroup, menu_for, menu_groups_for
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


def test_the_entries_keep_their_registered_order_inside_their_group(app):
    admin = make_user("admin", username="menu_admin")
    order = [entry.name for entry in _ENTRIES]
    for shown in menu_groups_for(admin):
        names = [entry.name for entry in shown.entries]
        assert names == sorted(names, key=order.index)


def test_only_home_and_notifications_stay_outside_the_groups():
    assert {entry.name for entry in _ENTRIES if entry.group is None} == {"home", "notifications"}


def test_the_desk_jobs_share_one_group():
    desk = {entry.name for entry in _ENTRIES if entry.group is MenuGroup.DESK}
    assert desk == {"console", "hotline", "serial-check", "work-orders", "dispatch",
                    "my-work-orders", "stock"}


def test_an_agent_finds_the_desk_group_first(app):
    agent = make_user("agent", username="menu_agent")
    assert menu_groups_for(agent)[0].group is MenuGroup.DESK


def test_a_complaint_handler_finds_complaints_and_return_visits_first(app):
    handler = make_user("complaint_handler", username="menu_handler")
    assert menu_groups_for(handler)[0].group is MenuGroup.FOLLOW_UP


def test_the_grouped_entries_sit_behind_one_menu_button(client, sign_in):
    make_user("admin", username="menu_user")
    sign_in("menu_user")
    page = client.get("/").get_data(as_text=True)
    menu = page[page.index('<details class="nav-menu"'):page.index("</details>")]
    assert 'id="nav-outlets"' in menu and 'id="nav-notifications"' not in menu


def test_nobody_signed_out_gets_a_menu(app):
    with app.test_request_context():
        assert menu_for(None) == []


def test_the_menu_marks_the_page_you_are_on(client, sign_in):
    make_user("agent", username="menu_user")
    sign_in("menu_user")
    page = client.get("/tickets").get_data(as_text=True)
    assert re.findall(r'id="nav-([a-z-]+)"[^>]*aria-current="page"', page) == ["work-orders"]
