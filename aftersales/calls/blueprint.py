"""The hotline's blueprints (pages and API), shared by the files that add routes to them."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("calls", __name__, url_prefix="/calls", template_folder="templates")
blp = Blueprint("calls_api", __name__, url_prefix="/api/v1", description="Hotline call log")
# Files whose routes hang on the page blueprint, beside views.py; create_app imports them.
ROUTE_MODULES = ("console",)

menu_entry(20, "console", "calls.console", _l("Agent console"), permission="calls.write",
           group=MenuGroup.DESK)
menu_entry(30, "hotline", "calls.call_log", _l("Hotline"), permission="calls.read",
           group=MenuGroup.DESK)
