from sqlalchemy import select

from aftersales.core.models import User
from aftersales.extensions import db
from tests.factories import make_user


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_users_create_makes_a_user_with_roles(app):
    result = run(app, "users", "create", "zhangmin", "--name", "张敏", "--role", "agent",
                 "--role", "trainer", input="a-long-enough-password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "zhangmin"))
    assert user.roles == {"agent", "trainer"}


def test_users_create_refuses_a_short_password_with_its_field(app):
    result = run(app, "users", "create", "zhangmin", "--name", "张敏", "--role", "agent",
                 "--password", "short")
    assert result.exit_code == 1
    assert "password" in result.output
    assert db.session.scalar(select(User.id)) is None


def test_users_set_password_changes_it(app):
    user = make_user("agent", username="zhangmin")
    old_hash = user.password_hash
    result = run(app, "users", "set-password", "zhangmin", input="another-long-password\n")
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.password_hash != old_hash


def test_users_disable_disables(app):
    user = make_user("agent", username="zhangmin")
    assert run(app, "users", "disable", "zhangmin").exit_code == 0
    db.session.refresh(user)
    assert not user.is_enabled


def test_an_unknown_username_is_a_clean_error(app):
    result = run(app, "users", "disable", "nobody")
    assert result.exit_code == 1
    assert "nobody" in result.output


def test_demo_load_builds_an_enterprise_and_prints_the_logins(app):
    result = run(app, "demo", "load")
    assert result.exit_code == 0, result.output
    assert "login admin" in result.output
    assert "150 customers" in result.output


def test_demo_load_if_empty_leaves_a_used_database_alone(app):
    make_user("admin")
    result = run(app, "demo", "load", "--if-empty")
    assert "not loaded" in result.output


def test_demo_load_if_empty_reminds_of_the_logins_when_the_demo_is_there(app):
    run(app, "demo", "load")
    result = run(app, "demo", "load", "--if-empty")
    assert "login admin" in result.output
