"""The customer-meeting register's blueprints (pages and API)."""

from flask import Blueprint as PageBlueprint

from aftersales.core.openapi import Blueprint

bp = PageBlueprint("meetings", __name__, url_prefix="/meetings", template_folder="templates")
blp = Blueprint("meetings_api", __name__, url_prefix="/api/v1/meetings",
                description="Customer meetings and their minutes")
# Files whose routes hang on them, beside views.py and api.py; create_app imports them.
ROUTE_MODULES = ()
