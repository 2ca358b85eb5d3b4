"""Pages for managers: the outlet list, an outlet's form (with its agreement), the
coverage of cities and of the sales area (a map drawn without internet tiles, and the
same figures as tables), and outlet performance."""

import math
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.errors import DomainError
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import api as outlets_api
from aftersales.outlets import performance, services
from aftersales.outlets.models import OUTLET_KINDS

bp = Blueprint("outlets", __name__, url_prefix="/outlets", template_folder="templates")
PAGE_SIZE = 50
KIND_LABELS = {"self_operated": _l("Self-operated"), "contracted": _l("Contracted")}
BAD_DAY = _l("Not a date.")
BAD_NUMBER = _l("Not a number.")
TEXT_FIELDS = ("code", "name", "province", "city", "region_code", "city_code", "address",
               "opening_hours")
# The map: longitude and latitude scaled evenly (x shrunk by cos 36°, China's middle).
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = 73.0, 135.5, 17.5, 54.0
MAP_SCALE = 10.0
MAP_X_FACTOR = math.cos(math.radians(36))


@bp.context_processor
def _helpers():
    return {
        "kind_label": lambda value: str(KIND_LABELS.get(value, value)),
        "percent": lambda share: "—" if share is None else f"{share * 100:.1f}%",
        "today": local_today(),
    }


@bp.route("")
@requires("outlets.read")
def index():
    province_code = request.args.get("province_code", "").strip() or None
    if province_code and not (province_code.isdigit() and len(province_code) == 6):
        province_code = None
    page = services.list_outlets(
        db.session, scope_of(current_user, "outlets.read"), None, request.args.get("cursor"),
        PAGE_SIZE, province_code=province_code,
    )
    return render_template(
        "outlets/index.html", page=page, province_code=province_code,
        provinces=services.provinces(db.session),
        may_edit=can(current_user, "outlets.write"),
        may_read_agreements=can(current_user, "outlets.agreements"),
    )


def _form_values(form, errors: dict) -> dict:
    values = {name: form.get(name, "").strip() for name in TEXT_FIELDS}
    values["kind"] = form.get("kind", "")
    if values["kind"] not in OUTLET_KINDS:
        errors["kind"] = str(_l("Choose self-operated or contracted."))
    for name in ("code", "name", "province", "city", "address"):
        if not values[name]:
            errors[name] = str(_l("Required."))
    if not (values["region_code"].isdigit() and len(values["region_code"]) == 6):
        errors["region_code"] = str(_l("Six-digit division code."))
    if values["city_code"] and not (values["city_code"].isdigit()
                                    and len(values["city_code"]) == 6):
        errors["city_code"] = str(_l("Six-digit division code."))
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        try:
            number = float(form.get(name, ""))
            if not low <= number <= high:
                raise ValueError
            values[name] = f"{number:.6f}"
        except ValueError:
            errors[name] = str(_l("Between %(low)d and %(high)d.", low=low, high=high))
    for name, low, high in (("service_radius_km", 1, 1000), ("staff_count", 0, 100000)):
        text = form.get(name, "").strip()
        if not text.isdigit() or not low <= int(text) <= high:
            errors[name] = str(_l("Between %(low)d and %(high)d.", low=low, high=high))
        else:
            values[name] = int(text)
    for name in ("agreement_starts_on", "agreement_ends_on"):
        text = form.get(name, "").strip()
        try:
            values[name] = date.fromisoformat(text) if text else None
        except ValueError:
            errors[name] = str(BAD_DAY)
    values["is_24h"] = form.get("is_24h") == "on"
    values["categories"] = [c for c in form.get("categories", "").replace("，", ",").split(",")
                            if c.strip()]
    return values


def _form_of(outlet) -> dict:
    if outlet is None:
        return {"kind": "self_operated", "service_radius_km": 50, "staff_count": 0,
                "opening_hours": "08:30-18:00"}
    form = {name: getattr(outlet, name) for name in services.EDITABLE}
    form["code"] = outlet.code
    form["categories"] = ", ".join(outlet.categories or ())
    return form


def _save(outlet_id: int | None):
    outlet = (
        services.get_outlet(db.session, outlet_id, scope_of(current_user, "outlets.write"))
        if outlet_id else None
    )
    errors: dict[str, str] = {}
    form = _form_of(outlet)
    status = 200
    if request.method == "POST":
        form = {**request.form.to_dict(), "is_24h": request.form.get("is_24h") == "on"}
        values = _form_values(request.form, errors)
        upload = request.files.get("agreement")
        if not errors:
            try:
                if outlet is None:
                    outlet = services.create_outlet(db.session, **values)
                else:
                    values.pop("code")
                    services.update_outlet(db.session, outlet, **values)
                if upload and upload.filename:
                    services.attach_agreement(db.session, outlet, upload.read(), upload.filename)
            except DomainError as problem:
                db.session.rollback()
                outlet = services.get_outlet(db.session, outlet_id) if outlet_id else None
                field = {"file": "agreement"}.get(problem.field, problem.field)
                errors[field if field in form or field == "agreement" else "_form"] = str(
                    problem.message
                )
            else:
                flash(_("Outlet %(code)s saved.", code=outlet.code), "success")
                return redirect(url_for("outlets.edit", outlet_id=outlet.id))
        status = 422
    return render_template(
        "outlets/form.html", outlet=outlet, form=form, errors=errors, kinds=OUTLET_KINDS,
        cities=services.list_cities(db.session),
        may_read_agreements=can(current_user, "outlets.agreements"),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@requires("outlets.write")
def new():
    return _save(None)


@bp.route("/<int:outlet_id>/edit", methods=["GET", "POST"])
@requires("outlets.write")
def edit(outlet_id):
    return _save(outlet_id)


@bp.route("/<int:outlet_id>/agreement")
@requires("outlets.agreements")
def agreement(outlet_id):
    try:
        outlet = services.get_outlet(
            db.session, outlet_id, scope_of(current_user, "outlets.agreements")
        )
        return outlets_api.agreement_response(outlet)
    except DomainError:
        abort(404)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Map coordinates (x, y) of a point: plain longitude/latitude, evenly scaled."""
    x = (longitude - MAP_WEST) * MAP_SCALE * MAP_X_FACTOR
    y = (MAP_NORTH - latitude) * MAP_SCALE
    return round(x, 1), round(y, 1)


def _map(report) -> dict:
    width, _ = project(MAP_SOUTH, MAP_EAST)
    _, height = project(MAP_SOUTH, MAP_WEST)
    dots = []
    for line in report.lines:
        x, y = project(line.place.latitude, line.place.longitude)
        state = "c24" if line.covered_24h_by else ("cov" if line.covered_by else "gap")
        dots.append((x, y, state, line))
    sites = []
    for site in report.sites:
        x, y = project(site.latitude, site.longitude)
        radius = round(site.radius_km / 111.32 * MAP_SCALE, 1)
        sites.append((x, y, radius, site))
    return {"width": round(width), "height": round(height), "dots": dots, "sites": sites}


@bp.route("/coverage")
@requires("outlets.coverage")
def coverage():
    errors: dict[str, str] = {}
    day = None
    if request.args.get("on"):
        try:
            day = date.fromisoformat(request.args["on"])
        except ValueError:
            errors["on"] = str(BAD_DAY)
    radius = request.args.get("radius_km", "").strip()
    radius_km = int(radius) if radius.isdigit() and 1 <= int(radius) <= 1000 else None
    if radius and radius_km is None:
        errors["radius_km"] = str(BAD_NUMBER)
    report = outlets_api.build_report(day, radius_km)
    return render_template(
        "outlets/coverage.html", report=report, map=_map(report), errors=errors,
        names={line.place.code: line.place.name for line in report.lines},
        target=current_app.config["COVERAGE_TARGET"],
    ), (422 if errors else 200)


@bp.route("/performance")
@requires("outlets.coverage")
def performance_page():
    errors: dict[str, str] = {}
    days = {}
    for key in ("from", "to"):
        text = request.args.get(key, "").strip()
        try:
            days[key] = date.fromisoformat(text) if text else None
        except ValueError:
            errors[key], days[key] = str(BAD_DAY), None
    first_day, last_day = outlets_api.performance_period(days["from"], days["to"])
    try:
        rows = performance.outlet_performance(
            db.session, first_day, last_day, scope_of(current_user, "outlets.coverage")
        )
    except DomainError as problem:
        errors[problem.field or "from"] = str(problem.message)
        first_day, last_day = outlets_api.performance_period(None, None)
        rows = performance.outlet_performance(
            db.session, first_day, last_day, scope_of(current_user, "outlets.coverage")
        )
    return render_template(
        "outlets/performance.html", rows=rows, first_day=first_day, last_day=last_day,
        errors=errors,
    ), (422 if errors else 200)
