"""The hotline pages' blueprint, shared by the files that add routes to it."""

from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls", template_folder="templates")
# Files whose routes hang on it, beside views.py; create_app imports them.
ROUTE_MODULES = ("console",)
