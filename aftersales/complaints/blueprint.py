"""The complaint module's blueprints (pages and API), shared by the files that add routes
to them."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("complaints", __name__, template_folder="templates")
blp = Blueprint("complaints_api", __name__, url_prefix="/api/v1",
                description="Complaints: clocks, escalation, handling, archive")
# Files whose routes hang on them, beside views.py and api.py; create_app imports them.
ROUTE_MODULES = ("handling_views", "board_views")

menu_entry(60, "complaints", "complaints.queue", _l("Complaints"), permission="complaints.read",
           group=MenuGroup.FOLLOW_UP)
