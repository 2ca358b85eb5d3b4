"""/api/v1/outlets: outlets, their agreements, coverage of cities and sales area,
performance; /api/v1/cities: the reference prefecture-level cities."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.errors import ValidationFailed
from aftersales.core.openapi import ANY_FILE, file_download
from aftersales.core.pagination import page_schema
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.outlets import performance, reports, services
from aftersales.outlets.blueprint import blp
from aftersales.outlets.schemas import (
    AgreementFileSchema,
    CitySchema,
    CoverageQuerySchema,
    CoverageSchema,
    OutletInSchema,
    OutletOutSchema,
    OutletPatchSchema,
    OutletQuerySchema,
    PerformanceQuerySchema,
    PerformanceRowSchema,
)


@blp.route("/outlets")
@blp.arguments(OutletQuerySchema, location="query")
@blp.response(200, page_schema(OutletOutSchema))
@requires("outlets.read")
def list_outlets(args):
    scope = scope_of(current_user, "outlets.read")
    return services.list_outlets(
        db.session, scope, args["province"], args["cursor"], args["limit"],
        province_code=args["province_code"], city_code=args["city_code"],
    )


@blp.route("/outlets", methods=["POST"])
@blp.arguments(OutletInSchema)
@blp.response(201, OutletOutSchema)
@requires("outlets.write")
def create_outlet(data):
    return services.create_outlet(db.session, **data)


@blp.route("/outlets/<int:outlet_id>")
@blp.response(200, OutletOutSchema)
@requires("outlets.read")
def get_outlet(outlet_id):
    return services.get_outlet(db.session, outlet_id, scope_of(current_user, "outlets.read"))


@blp.route("/outlets/<int:outlet_id>", methods=["PATCH"])
@blp.arguments(OutletPatchSchema)
@blp.response(200, OutletOutSchema)
@requires("outlets.write")
def update_outlet(data, outlet_id):
    outlet = services.get_outlet(db.session, outlet_id, scope_of(current_user, "outlets.write"))
    return services.update_outlet(db.session, outlet, **data)


@blp.route("/outlets/<int:outlet_id>/agreement", methods=["PUT"])
@blp.arguments(AgreementFileSchema, location="files")
@blp.response(200, OutletOutSchema)
@requires("outlets.write")
def upload_agreement(files, outlet_id):
    """The signed agreement (multipart field `file`): PDF, PNG or JPEG, at most 10 MB."""
    outlet = services.get_outlet(db.session, outlet_id, scope_of(current_user, "outlets.write"))
    upload = files["file"]
    if upload is None:
        raise ValidationFailed(_l("Choose a file."), field="file")
    return services.attach_agreement(db.session, outlet, upload.read(), upload.filename or "")


@blp.route("/outlets/<int:outlet_id>/agreement")
@blp.doc(**file_download(ANY_FILE, description="The agreement document."))
@requires("outlets.agreements")
def download_agreement(outlet_id):
    outlet = services.get_outlet(
        db.session, outlet_id, scope_of(current_user, "outlets.agreements")
    )
    return reports.agreement_response(outlet)


@blp.route("/cities")
@blp.response(200, CitySchema(many=True))
@requires("outlets.read")
def list_cities():
    """The 337 reference cities (333 prefecture-level divisions and 4 municipalities)."""
    return services.list_cities(db.session)


def coverage_json(report) -> dict:
    def share(covered, total, value):
        return {"covered": covered, "total": total, "share": value}

    def line(item):
        return {
            "code": item.place.code, "name": item.place.name, "province": item.place.province,
            "covered_by": item.covered_by, "covered_24h_by": item.covered_24h_by,
            "customers": item.customers, "work_orders": item.work_orders,
        }

    return {
        "day": report.day,
        "target_share_24h": report.target,
        "meets_target": report.meets_target,
        "cities": share(report.covered, report.cities, report.share),
        "cities_24h": share(report.covered_24h, report.cities, report.share_24h),
        "sales_area": share(report.sales_area_covered, report.sales_area,
                            report.sales_area_share),
        "sales_area_24h": share(report.sales_area_covered_24h, report.sales_area,
                                report.sales_area_share_24h),
        "serving_outlets": report.serving_outlets,
        "not_serving_outlets": report.not_serving_outlets,
        "unmatched_customer_cities": report.unmatched_customer_cities,
        "uncovered": [line(item) for item in report.uncovered],
        "what_if_radius_km": report.what_if_radius_km,
        "what_if": [
            {
                "code": s.place.code, "name": s.place.name, "province": s.place.province,
                "gained_cities": list(s.gained), "gained_work_orders": s.gained_work_orders,
            }
            for s in report.suggestions
        ],
        "lines": [line(item) for item in report.lines],
    }


@blp.route("/outlets/coverage")
@blp.arguments(CoverageQuerySchema, location="query")
@blp.response(200, CoverageSchema)
@requires("outlets.coverage")
def coverage(args):
    """Share of all prefecture-level cities and of the sales area covered, with and without
    24-hour service, on a day; uncovered cities by work orders; the best next outlet."""
    return coverage_json(reports.build_report(args["on"], args["radius_km"]))


@blp.route("/outlets/performance")
@blp.arguments(PerformanceQuerySchema, location="query")
@blp.response(200, PerformanceRowSchema(many=True))
@requires("outlets.coverage")
def outlet_performance(args):
    """Per outlet in scope, over local days from-to (default: the last 90 days)."""
    first_day, last_day = reports.performance_period(args["first_day"], args["last_day"])
    return performance.outlet_performance(
        db.session, first_day, last_day, scope_of(current_user, "outlets.coverage")
    )
