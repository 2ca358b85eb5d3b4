"""The platform pages' blueprint: sign-in, home, language, record history, users, tokens."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import menu_entry

bp = Blueprint("core", __name__, template_folder="templates")
# Files whose routes hang on it, beside views.py; create_app imports them.
ROUTE_MODULES = ()

menu_entry(10, "home", "core.home", _l("Home"))
menu_entry(130, "users", "core.users", _l("Users"), permission="users.manage")
menu_entry(140, "api-tokens", "core.tokens", _l("API tokens"))
