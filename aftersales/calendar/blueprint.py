"""The business calendar's blueprints: the pages (views.py) and the API (api.py)."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("calendar", __name__, url_prefix="/calendar", template_folder="templates")
blp = Blueprint("calendar_api", __name__, url_prefix="/api/v1/calendar",
                description="The business calendar every SLA clock counts on")

menu_entry(110, "calendar", "calendar.index", _l("Calendar"), permission="calendar.read",
           group=MenuGroup.MANAGE)
