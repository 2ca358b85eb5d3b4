"""The audit periods page: freeze a period and export its package, both in the background
and followed on the page, cancel an export, download (routes on the evidence blueprint)."""

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core.audit import current_actor
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.forms import form_input, on_refusal, placed, submitted
from aftersales.evidence import labels
from aftersales.evidence.audit import exports, freezing, periods
from aftersales.evidence.blueprint import bp
from aftersales.evidence.schemas import PeriodPageSchema
from aftersales.extensions import db

FREEZE_FIELDS = frozenset({"from", "to", "share", "seed"})


def _render(errors=None, status=200):
    from aftersales.evidence.audit import signing  # cryptography: not at start

    recent = periods.recent(db.session)
    first_day, last_day = periods.last_year(local_today())
    by_period = exports.of_periods(db.session, [p.id for p in recent])
    suggested = {"from": first_day.isoformat(), "to": last_day.isoformat(), "share": "10"}
    return render_template(
        "evidence/periods.html", periods=recent, exports=by_period,
        freezes=freezing.showing(db.session),
        on_server={e.id for listed in by_period.values() for e in listed
                   if exports.on_server(e)},
        errors=placed(errors or {}, FREEZE_FIELDS), form={**suggested, **submitted().to_dict()},
        labels=labels, may_freeze=can(current_user, "evidence.freeze"),
        may_export=can(current_user, "evidence.export"), under_way=exports.UNDER_WAY,
        key_fingerprint=signing.public_fingerprint(),
    ), status


@bp.route("/periods")
@requires("evidence.read")
def periods_page():
    return _render()


@bp.route("/periods", methods=["POST"])
@requires("evidence.freeze")
@on_refusal(_render)
def freeze_period():
    data = form_input(PeriodPageSchema())
    request = freezing.request_freeze(db.session, current_actor(), data["first_day"],
                                      data["last_day"], data["share"], data["seed"])
    flash(_("Freeze queued: the period is frozen in the background (a year takes minutes)."),
          "success")
    return redirect(url_for("evidence.periods_page", _anchor=f"freeze-{request.id}"))


@bp.route("/periods/<int:period_id>/exports", methods=["POST"])
@requires("evidence.export")
@on_refusal(lambda errors, status, period_id: _render(errors, status))
def export_period(period_id):
    exports.request_export(db.session, current_actor(), periods.get(db.session, period_id))
    flash(_("Export queued: the package is built in the background."), "success")
    return redirect(url_for("evidence.periods_page", _anchor=f"period-{period_id}"))


@bp.route("/exports/<int:export_id>/cancel", methods=["POST"])
@requires("evidence.export")
@on_refusal(lambda errors, status, export_id: _render(errors, status))
def cancel_export(export_id):
    export = exports.get(db.session, export_id)
    exports.cancel(db.session, export)
    flash(_("Export cancelled."), "success")
    return redirect(url_for("evidence.periods_page", _anchor=f"period-{export.period_id}"))


@bp.route("/exports/<int:export_id>/download")
@requires("evidence.export")
def download_export(export_id):
    export = exports.get(db.session, export_id)
    return send_file(exports.downloadable(export), mimetype="application/zip",
                     as_attachment=True, download_name=export.file_name)
