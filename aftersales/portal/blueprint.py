"""The customer portal's blueprint: public pages, no staff menu."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")
# Files whose routes hang on it, beside views.py; create_app imports them.
ROUTE_MODULES = ("confirm_views", "track_views", "report_views", "commitments_views",
                 "complaint_views", "survey_views")
