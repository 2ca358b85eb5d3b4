"""The outlets module's blueprints: the pages (views.py) and the API (api.py)."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("outlets", __name__, url_prefix="/outlets", template_folder="templates")
blp = Blueprint("outlets_api", __name__, url_prefix="/api/v1", description="Service outlets")
# Files whose routes hang on bp, beside views.py; create_app imports them.
ROUTE_MODULES = ("slot_views",)

menu_entry(80, "outlets", "outlets.index", _l("Outlets"), permission="outlets.read",
           group=MenuGroup.MANAGE)
