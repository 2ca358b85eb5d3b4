"""/api/v1/evidence/periods, /freezes and /exports: freeze an audit period and follow the
freeze, export its package, follow the export, cancel it, download the zip (routes on the
evidence API blueprint)."""

from flask import send_file

from aftersales.core.audit import current_actor
from aftersales.core.auth import requires
from aftersales.core.openapi import file_download
from aftersales.core.sample_input import DEFAULT_SHARE
from aftersales.evidence.audit import exports, freezing, periods
from aftersales.evidence.blueprint import blp
from aftersales.evidence.schemas import (
    ExportOutSchema,
    FreezeRequestOutSchema,
    PeriodInSchema,
    PeriodOutSchema,
)
from aftersales.extensions import db


@blp.route("/evidence/periods")
@blp.response(200, PeriodOutSchema(many=True))
@requires("evidence.read")
def list_periods():
    """Frozen audit periods, the latest first."""
    return periods.recent(db.session)


@blp.route("/evidence/periods", methods=["POST"])
@blp.arguments(PeriodInSchema)
@blp.response(202, FreezeRequestOutSchema)
@requires("evidence.freeze")
def freeze_period(data):
    """Queue the freeze of a period: the scheduler keeps its snapshot, record ids, sample
    population and the audit chain head as they are then (minutes for a year at full
    size). Poll the request until it is done; it then names the period."""
    share = data["share"] if data["share"] is not None else DEFAULT_SHARE
    return freezing.request_freeze(db.session, current_actor(), data["first_day"],
                                   data["last_day"], share, data["seed"])


@blp.route("/evidence/freezes/<int:request_id>")
@blp.response(200, FreezeRequestOutSchema)
@requires("evidence.read")
def get_freeze(request_id):
    return freezing.get(db.session, request_id)


@blp.route("/evidence/periods/<int:period_id>")
@blp.response(200, PeriodOutSchema)
@requires("evidence.read")
def get_period(period_id):
    return periods.get(db.session, period_id)


@blp.route("/evidence/periods/<int:period_id>/exports", methods=["POST"])
@blp.response(202, ExportOutSchema)
@requires("evidence.export")
def request_export(period_id):
    """Queue the package's export; the scheduler builds it (poll the export for progress)."""
    return exports.request_export(db.session, current_actor(),
                                  periods.get(db.session, period_id))


@blp.route("/evidence/exports/<int:export_id>")
@blp.response(200, ExportOutSchema)
@requires("evidence.export")
def get_export(export_id):
    return exports.get(db.session, export_id)


@blp.route("/evidence/exports/<int:export_id>/cancel", methods=["POST"])
@blp.response(200, ExportOutSchema)
@requires("evidence.export")
def cancel_export(export_id):
    export = exports.get(db.session, export_id)
    exports.cancel(db.session, export)
    return export


@blp.route("/evidence/exports/<int:export_id>/package")
@blp.doc(**file_download("application/zip", description="The signed package."))
@requires("evidence.export")
def download_package(export_id):
    """The finished zip (application/zip)."""
    export = exports.get(db.session, export_id)
    return send_file(exports.downloadable(export), mimetype="application/zip",
                     as_attachment=True, download_name=export.file_name)
