"""The hotline's blueprints (pages and API), shared by the files that add routes to them."""

from flask import Blueprint as PageBlueprint
from flask_smorest import Blueprint

bp = PageBlueprint("calls", __name__, url_prefix="/calls", template_folder="templates")
blp = Blueprint("calls_api", __name__, url_prefix="/api/v1", description="Hotline call log")
# Files whose routes hang on the page blueprint, beside views.py; create_app imports them.
ROUTE_MODULES = ("console",)
