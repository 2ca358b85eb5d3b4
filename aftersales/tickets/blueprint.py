"""The work-order pages' blueprint, shared by the files that add routes to it."""

from flask import Blueprint

bp = Blueprint("tickets", __name__, template_folder="templates")
# Files whose routes hang on it, beside views.py; create_app imports them.
ROUTE_MODULES = ("dispatch_views",)
