"""The return-visit module's blueprints: the pages (views.py) and the API (api.py)."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("visits", __name__, url_prefix="/visits", template_folder="templates")
blp = Blueprint("visits_api", __name__, url_prefix="/api/v1", description="Return visits")

menu_entry(70, "return-visits", "visits.queue", _l("Return visits"), permission="visits.read",
           group=MenuGroup.FOLLOW_UP)
