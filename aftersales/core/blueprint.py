"""The platform's blueprints (pages and API): sign-in, home, language, history, users."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("core", __name__, template_folder="templates")
blp = Blueprint("core_api", __name__, url_prefix="/api/v1", description="Accounts and audit")
# Files whose routes hang on the page blueprint, beside views.py; create_app imports them.
ROUTE_MODULES = ()

menu_entry(10, "home", "core.home", _l("Home"))
menu_entry(130, "users", "core.users", _l("Users"), permission="users.manage",
           group=MenuGroup.MANAGE)
menu_entry(140, "api-tokens", "core.tokens", _l("API tokens"), permission="tokens.offer",
           group=MenuGroup.MANAGE)
