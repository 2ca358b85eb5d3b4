"""The platform pages' forms (users, tokens, sign-in) through the test client."""

from sqlalchemy import select

from aftersales.core.models import ApiToken, RoleGrant, User
from aftersales.extensions import db
from tests.conftest import csrf_from
from tests.factories import make_outlet, make_user


def user_form(client, path="/admin/users/new", **overrides):
    return {"csrf_token": csrf_from(client, path), "username": "zhaoqiang",
            "display_name": "赵强", "password": "a-long-enough-password",
            "roles": ["technician"], "scope": "", **overrides}


def test_an_admin_creates_a_user_with_roles_in_one_outlet(client, sign_in):
    outlet = make_outlet()
    make_user("admin", username="wanglei")
    sign_in("wanglei")
    response = client.post("/admin/users/new", data=user_form(
        client, roles=["technician", "dispatcher"], scope=f"outlet:{outlet.id}"))
    assert response.status_code == 302
    grants = db.session.scalars(select(RoleGrant).join(User).where(
        User.username == "zhaoqiang")).all()
    assert sorted((g.role, g.outlet_id) for g in grants) == [
        ("dispatcher", outlet.id), ("technician", outlet.id)]


def test_the_user_form_marks_every_bad_field_at_once(client, sign_in):
    make_user("admin", username="wanglei")
    sign_in("wanglei")
    response = client.post("/admin/users/new", data=user_form(
        client, username="zq", display_name="", email="not-an-address"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert all(f'id="e-{name}"' in page for name in ("username", "display_name", "email"))
    assert db.session.scalar(select(User).where(User.username == "zq")) is None


def test_a_scope_not_in_the_list_is_refused_not_widened_to_the_whole_enterprise(client, sign_in):
    make_user("admin", username="wanglei")
    sign_in("wanglei")
    response = client.post("/admin/users/new", data=user_form(client, scope="outlet:abc"))
    assert response.status_code == 422
    assert 'class="form-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "zhaoqiang")) is None


def test_a_blank_password_on_the_edit_page_keeps_the_old_one(client, sign_in):
    make_user("admin", username="wanglei")
    target = make_user("agent", username="zhangmin")
    old_hash = target.password_hash
    sign_in("wanglei")
    path = f"/admin/users/{target.id}"
    response = client.post(path, data={
        "csrf_token": csrf_from(client, path), "display_name": "张敏", "email": "",
        "password": "", "roles": ["agent"], "scope": ""})
    assert response.status_code == 302
    db.session.refresh(target)
    assert (target.display_name, target.password_hash) == ("张敏", old_hash)


def test_a_refused_edit_is_drawn_with_what_was_typed(client, sign_in):
    make_user("admin", username="wanglei")
    target = make_user("agent", username="zhangmin")
    sign_in("wanglei")
    path = f"/admin/users/{target.id}"
    response = client.post(path, data={
        "csrf_token": csrf_from(client, path), "display_name": "张敏新", "email": "x@",
        "roles": ["agent"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="张敏新"' in page and 'id="e-email"' in page


def test_the_enable_button_refuses_a_value_that_is_not_yes_or_no(client, sign_in):
    make_user("admin", username="wanglei")
    target = make_user("agent", username="zhangmin")
    sign_in("wanglei")
    response = client.post(f"/admin/users/{target.id}/enabled", data={
        "csrf_token": csrf_from(client, "/admin/users"), "enabled": "maybe"})
    assert response.status_code == 422
    db.session.refresh(target)
    assert target.is_enabled


def test_a_token_without_a_name_is_marked_beside_the_name(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/account/tokens", data={
        "csrf_token": csrf_from(client, "/account/tokens"), "name": "  "})
    assert response.status_code == 422
    assert 'id="e-name"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_a_read_only_token_made_on_the_page_lasts_ninety_days(client, sign_in):
    make_user("agent", username="zhangmin")
    sign_in("zhangmin")
    response = client.post("/account/tokens", data={
        "csrf_token": csrf_from(client, "/account/tokens"), "name": "呼叫中心",
        "read_only": "1", "expires_in_days": "730"})
    assert 'id="new-secret"' in response.get_data(as_text=True)
    token = db.session.scalar(select(ApiToken))
    assert token.read_only
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 90


def test_a_blank_sign_in_is_a_wrong_username_or_password(client):
    response = client.post("/login", data={"username": "", "password": "",
                                           "csrf_token": csrf_from(client)})
    assert response.status_code == 401
    assert 'role="alert"' in response.get_data(as_text=True)


def test_the_users_page_names_the_region_a_role_is_scoped_to(client, sign_in):
    from tests.outlets.factories import load_small_map

    load_small_map()
    make_user("manager", username="sunli", region_code="420200")
    make_user("admin", username="wanglei")
    sign_in("wanglei")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "乙市" in html and "420200" not in html


def test_the_history_page_names_the_account_not_its_table_and_id(client, sign_in):
    person = make_user("agent", username="zhouyu")
    person.display_name = "周瑜"
    db.session.commit()
    make_user("admin", username="wanglei")
    sign_in("wanglei")
    html = client.get(f"/history/users/{person.id}").get_data(as_text=True)
    assert "周瑜" in html.split("</h1>")[0] and f"#{person.id}" not in html
