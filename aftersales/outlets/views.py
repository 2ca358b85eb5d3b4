"""Pages for managers: the outlet list, an outlet's form (with its agreement), the
coverage of cities and of the sales area (a map drawn without internet tiles, and the
same figures as tables), and outlet performance."""

import math

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from aftersales.core import charts
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.forms import form_input, on_refusal, placed, query_input, submitted
from aftersales.core.history import record_names
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import performance, reports, services, settings
from aftersales.outlets.blueprint import bp
from aftersales.outlets.models import OUTLET_KINDS, OutletKind
from aftersales.outlets.schemas import (
    CoverageQuerySchema,
    OutletPageSchema,
    OutletQuerySchema,
    PerformanceQuerySchema,
)

PAGE_SIZE = 20  # outlets a page: on a phone, each one is a card a third of a screen tall
KIND_LABELS = OutletKind.labels()
# The inputs of the outlet form; a reason about anything else goes to the top of it.
FORM_FIELDS = frozenset({
    "code", "name", "kind", "province", "city", "city_code", "region_code", "address",
    "latitude", "longitude", "service_radius_km", "opening_hours", "staff_count",
    "categories", "agreement_starts_on", "agreement_ends_on", "agreement",
})
# The map: longitude and latitude scaled evenly (x shrunk by cos 36°, China's middle).
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = 73.0, 135.5, 17.5, 54.0
MAP_SCALE = 10.0
MAP_X_FACTOR = math.cos(math.radians(36))
record_names("outlets", services.outlet_names)


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
    query, _errors = query_input(OutletQuerySchema())  # a bad filter value is ignored
    page = services.list_outlets(
        db.session, scope_of(current_user, "outlets.read"), None, query["cursor"], PAGE_SIZE,
        province_code=query["province_code"],
    )
    return render_template(
        "outlets/index.html", page=page, province_code=query["province_code"],
        provinces=services.provinces(db.session),
        may_edit=can(current_user, "outlets.write"),
        may_read_agreements=can(current_user, "outlets.agreements"),
    )


def _form_of(outlet) -> dict:
    if outlet is None:
        return {"kind": "self_operated", "service_radius_km": 50, "staff_count": 0,
                "opening_hours": "08:30-18:00"}
    form = {name: getattr(outlet, name) for name in services.EDITABLE}
    form["code"] = outlet.code
    return form


def _writable(outlet_id: int):
    return services.get_outlet(db.session, outlet_id, scope_of(current_user, "outlets.write"))


def _render_form(outlet, form, errors: dict, status: int):
    return render_template(
        "outlets/form.html", outlet=outlet, form=form, errors=errors, kinds=OUTLET_KINDS,
        cities=services.list_cities(db.session),
        may_read_agreements=can(current_user, "outlets.agreements"),
    ), status


def _refused(errors: dict, status: int, outlet_id: int | None = None):
    # Read in the user's scope again: an outlet they may not change stays a 404.
    outlet = _writable(outlet_id) if outlet_id else None
    # The service names the agreement's upload "file", as the API sends it; a reason about
    # one ticked category (categories.2) is shown beside the categories.
    beside = {("agreement" if name == "file" else name.split(".", 1)[0]): reason
              for name, reason in errors.items()}
    return _render_form(outlet, submitted(), placed(beside, FORM_FIELDS), status)


def _saved(outlet, upload):
    if upload is not None and upload.filename:
        services.attach_agreement(db.session, outlet, upload.read(), upload.filename)
    flash(_("Outlet %(code)s saved.", code=outlet.code), "success")
    return redirect(url_for("outlets.edit", outlet_id=outlet.id))


@bp.route("/new")
@requires("outlets.write")
def new():
    return _render_form(None, _form_of(None), {}, 200)


@bp.route("/new", methods=["POST"])
@requires("outlets.write")
@on_refusal(_refused)
def create():
    values = form_input(OutletPageSchema())
    upload = values.pop("agreement")
    return _saved(services.create_outlet(db.session, **values), upload)


@bp.route("/<int:outlet_id>")
@requires("outlets.read")
def show(outlet_id):
    """One outlet, read-only: where a compliance page's drill-down to an outlet lands."""
    outlet = services.get_outlet(db.session, outlet_id, scope_of(current_user, "outlets.read"))
    return render_template(
        "outlets/show.html", outlet=outlet, may_edit=can(current_user, "outlets.write"),
        may_read_agreements=can(current_user, "outlets.agreements"),
    )


@bp.route("/<int:outlet_id>/edit")
@requires("outlets.write")
def edit(outlet_id):
    outlet = _writable(outlet_id)
    return _render_form(outlet, _form_of(outlet), {}, 200)


@bp.route("/<int:outlet_id>/edit", methods=["POST"])
@requires("outlets.write")
@on_refusal(_refused)
def update(outlet_id):
    outlet = _writable(outlet_id)
    changes = form_input(OutletPageSchema(exclude=("code",)))
    upload = changes.pop("agreement")
    return _saved(services.update_outlet(db.session, outlet, **changes), upload)


@bp.route("/<int:outlet_id>/agreement")
@requires("outlets.agreements")
def agreement(outlet_id):
    outlet = services.get_outlet(
        db.session, outlet_id, scope_of(current_user, "outlets.agreements")
    )
    return reports.agreement_response(outlet)


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
    query, errors = query_input(CoverageQuerySchema())  # a bad value is named, then ignored
    report = reports.build_report(query["on"], query["radius_km"])
    return render_template(
        "outlets/coverage.html", report=report, map=_map(report), errors=errors,
        names={line.place.code: line.place.name for line in report.lines},
        target=settings.current().coverage_target,
    ), (422 if errors else 200)


def _render_performance(first_day, last_day, errors: dict, status: int):
    rows = performance.outlet_performance(
        db.session, first_day, last_day, scope_of(current_user, "outlets.coverage")
    )
    return render_template(
        "outlets/performance.html", rows=rows, first_day=first_day, last_day=last_day,
        errors=errors, chart=_performance_chart(rows), intake=performance.intake(rows),
        patterns=_row_patterns(),
    ), status


def _row_patterns() -> dict[str, str]:
    """The table's per-outlet phrases, translated once and filled in for each row."""
    return {"online": _("%(count)d online"), "scores": _("%(count)d scores"),
            "answered": _("%(share)s answered within 24 h")}


CHARTED_OUTLETS = 30  # a chart of 2,000 bars is read by nobody; the table holds them all


def _performance_chart(rows) -> Markup:
    """The busiest outlets of the period, by the share that met the resolution target."""
    busy = sorted((row for row in rows if row.work_orders),
                  key=lambda row: -row.work_orders)[:CHARTED_OUTLETS]
    return charts.bar_chart(
        [charts.Bar(f"{row.code} {row.name}", row.share_met or 0,
                    "—" if row.share_met is None else f"{row.share_met:.0%} · {row.work_orders}")
         for row in busy],
        title=_("Resolution target met, the %(count)d busiest outlets", count=len(busy)),
        empty=_("No work orders in this period."), maximum=1,
    )


@bp.route("/performance")
@requires("outlets.coverage")
# A period that ends before it starts: the default period, with the reason.
@on_refusal(lambda errors, status: _render_performance(
    *reports.performance_period(None, None), errors, status))
def performance_page():
    query, errors = query_input(PerformanceQuerySchema())  # a bad day is named, then ignored
    first_day, last_day = reports.performance_period(query["first_day"], query["last_day"])
    return _render_performance(first_day, last_day, errors, 422 if errors else 200)
