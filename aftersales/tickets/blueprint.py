"""The work-order pages' blueprint, shared by the files that add routes to it."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import menu_entry

bp = Blueprint("tickets", __name__, template_folder="templates")
# Files whose routes hang on it, beside views.py; create_app imports them.
ROUTE_MODULES = ("dispatch_views",)

menu_entry(40, "work-orders", "tickets.index", _l("Work orders"), permission="tickets.read")
menu_entry(50, "dispatch", "tickets.dispatch_board", _l("Dispatch"), permission="tickets.dispatch")
menu_entry(120, "my-work-orders", "tickets.mine", _l("My work orders"), role="technician")
