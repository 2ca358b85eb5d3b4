"""The training module's blueprints (pages and API), shared by the files that add routes
to them."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("training", __name__, url_prefix="/training", template_folder="templates")
blp = Blueprint("training_api", __name__, url_prefix="/api/v1",
                description="Staff, certificates and training")
# Files whose routes hang on the page blueprint, beside views.py; create_app imports them.
ROUTE_MODULES = ("staff_views", "session_views")

menu_entry(90, "training", "training.index", _l("Training"), permission="training.read",
           group=MenuGroup.MANAGE)
