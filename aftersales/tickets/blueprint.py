"""The work orders' blueprints (pages and API), shared by the files that add routes to them."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("tickets", __name__, template_folder="templates")
blp = Blueprint("tickets_api", __name__, url_prefix="/api/v1", description="Work orders")
# Files whose routes hang on the page blueprint, beside views.py; create_app imports them.
ROUTE_MODULES = ("dispatch_views", "stock_views")

menu_entry(40, "work-orders", "tickets.index", _l("Work orders"), permission="tickets.read",
           group=MenuGroup.DESK)
menu_entry(50, "dispatch", "tickets.dispatch_board", _l("Dispatch"), permission="tickets.dispatch",
           group=MenuGroup.DESK)
menu_entry(120, "my-work-orders", "tickets.mine", _l("My work orders"), role="technician",
           group=MenuGroup.DESK)
menu_entry(55, "stock", "tickets.stock_page", _l("Spare parts"), permission="stock.read",
           group=MenuGroup.DESK)
