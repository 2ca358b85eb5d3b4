"""The outlet's visit windows, kept by its manager: the weekly windows the portal offers
customers (outlets/slots.py), a window added, or its capacity changed (0 closes it)."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.forms import form_input, on_refusal, placed, submitted
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import services, slots
from aftersales.outlets.blueprint import bp
from aftersales.outlets.schemas import CapacityPageSchema, SlotPageSchema

SHOWN = frozenset({"weekday", "starts", "ends", "capacity"})


def _outlet(outlet_id: int):
    return services.get_outlet(db.session, outlet_id, scope_of(current_user, "outlets.write"))


A_MONDAY = date(2024, 1, 1)


def _weekdays() -> list[tuple[int, str]]:
    """Monday to Sunday in the reader's language."""
    return [(day, format_date(A_MONDAY + timedelta(days=day), "EEEE")) for day in range(7)]


def _render(errors: dict, status: int, outlet_id: int):
    outlet = _outlet(outlet_id)
    return render_template(
        "outlets/windows.html", outlet=outlet, slots=slots.slots_of(db.session, outlet.id),
        weekdays=_weekdays(), form=submitted(), errors=placed(errors, SHOWN)), status


@bp.route("/<int:outlet_id>/windows")
@requires("outlets.write")
def windows(outlet_id):
    return _render({}, 200, outlet_id)


@bp.route("/<int:outlet_id>/windows", methods=["POST"])
@requires("outlets.write")
@on_refusal(_render)
def add_window(outlet_id):
    outlet = _outlet(outlet_id)
    data = form_input(SlotPageSchema())
    slots.add_slot(db.session, outlet.id, **data)
    flash(_("Visit window added."), "success")
    return redirect(url_for("outlets.windows", outlet_id=outlet.id))


@bp.route("/<int:outlet_id>/windows/<int:slot_id>", methods=["POST"])
@requires("outlets.write")
@on_refusal(lambda errors, status, outlet_id, slot_id: _render(errors, status, outlet_id))
def window_capacity(outlet_id, slot_id):
    outlet = _outlet(outlet_id)
    slots.set_capacity(db.session, outlet.id, slot_id,
                       form_input(CapacityPageSchema())["capacity"])
    flash(_("Capacity saved."), "success")
    return redirect(url_for("outlets.windows", outlet_id=outlet.id))
