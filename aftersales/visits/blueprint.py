"""The return-visit module's blueprints: the pages (views.py) and the API (api.py)."""

from flask import Blueprint as PageBlueprint
from flask_smorest import Blueprint

bp = PageBlueprint("visits", __name__, url_prefix="/visits", template_folder="templates")
blp = Blueprint("visits_api", __name__, url_prefix="/api/v1", description="Return visits")
