"""The platform pages' blueprint: sign-in, home, language, record history, users, tokens."""

from flask import Blueprint

bp = Blueprint("core", __name__, template_folder="templates")
# Files whose routes hang on it, beside views.py; create_app imports them.
ROUTE_MODULES = ()
