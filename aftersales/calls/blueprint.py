"""The hotline pages' blueprint, shared by the files that add routes to it."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import menu_entry

bp = Blueprint("calls", __name__, url_prefix="/calls", template_folder="templates")
# Files whose routes hang on it, beside views.py; create_app imports them.
ROUTE_MODULES = ("console",)

menu_entry(20, "console", "calls.console", _l("Agent console"), permission="calls.write")
menu_entry(30, "hotline", "calls.call_log", _l("Hotline"), permission="calls.read")
