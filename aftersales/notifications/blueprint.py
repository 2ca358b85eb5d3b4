"""The notification inbox's blueprints (pages and API)."""

from flask import Blueprint as PageBlueprint

from aftersales.core.openapi import Blueprint

bp = PageBlueprint("notifications", __name__, url_prefix="/notifications",
                   template_folder="templates")
blp = Blueprint("notifications_api", __name__, url_prefix="/api/v1",
                description="The caller's notifications")
# Files whose routes hang on them, beside views.py and api.py; create_app imports them.
ROUTE_MODULES = ()
