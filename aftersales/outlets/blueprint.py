"""The outlets module's blueprints: the pages (views.py) and the API (api.py)."""

from flask import Blueprint as PageBlueprint
from flask_smorest import Blueprint

bp = PageBlueprint("outlets", __name__, url_prefix="/outlets", template_folder="templates")
blp = Blueprint("outlets_api", __name__, url_prefix="/api/v1", description="Service outlets")
