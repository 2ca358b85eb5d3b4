"""The evidence module's blueprints (pages and API), shared by the files that add routes
to them."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("evidence", __name__, url_prefix="/evidence", template_folder="templates")
blp = Blueprint("evidence_api", __name__, url_prefix="/api/v1",
                description="GB/T 27922 evidence: score, clauses, documents, registers")
# Files whose routes hang on them, beside views.py and api.py; create_app imports them.
ROUTE_MODULES = ("period_views", "period_api")

menu_entry(100, "compliance", "evidence.index", _l("Compliance"), permission="evidence.read",
           group=MenuGroup.MANAGE)
