"""Messages to customers: the outbox page (views.py) and the desk's opt-out API (api.py)."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("messaging", __name__, url_prefix="/messaging", template_folder="templates")
blp = Blueprint("messaging_api", __name__, url_prefix="/api/v1/messaging",
                description="Messages to customers and their opt-outs")
# Files whose routes hang on them, beside views.py and api.py; create_app imports them.
ROUTE_MODULES = ()

menu_entry(125, "outbox", "messaging.outbox", _l("Customer messages"),
           permission="messaging.read", group=MenuGroup.MANAGE)
