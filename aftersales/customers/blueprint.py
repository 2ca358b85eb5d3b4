"""The customers module's blueprints: its API, and the desk's pages (a first-time caller's
record and unit, the anti-counterfeit check)."""

from flask import Blueprint as PageBlueprint
from flask_babel import lazy_gettext as _l

from aftersales.core.menu import MenuGroup, menu_entry
from aftersales.core.openapi import Blueprint

bp = PageBlueprint("customers", __name__, url_prefix="/customers", template_folder="templates")
blp = Blueprint("customers_api", __name__, url_prefix="/api/v1", description="Customers, products")

menu_entry(25, "serial-check", "customers.serial_check", _l("Serial check"),
           permission="customers.write", group=MenuGroup.DESK)
