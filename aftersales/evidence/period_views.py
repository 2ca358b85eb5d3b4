"""The audit periods page: freeze a period, export its package in the background with a
progress bar, cancel, download (routes on the evidence blueprint)."""

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core.audit import current_actor
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.errors import DomainError
from aftersales.core.sample_input import share_from_percent
from aftersales.evidence import exports, labels, periods, signing
from aftersales.evidence.blueprint import bp
from aftersales.evidence.page_inputs import form_day, refusal
from aftersales.extensions import db


def _render(errors=None, form=None, status=200):
    recent = periods.recent(db.session)
    first_day, last_day = periods.last_year(local_today())
    by_period = exports.of_periods(db.session, [p.id for p in recent])
    return render_template(
        "evidence/periods.html", periods=recent, exports=by_period,
        on_server={e.id for listed in by_period.values() for e in listed
                   if exports.on_server(e)},
        errors=errors or {}, form=form or {"from": first_day.isoformat(),
                                            "to": last_day.isoformat(), "share": "10"},
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
def freeze_period():
    form, errors = request.form.to_dict(), {}
    first_day = form_day(form.get("from"), "from", errors)
    last_day = form_day(form.get("to"), "to", errors)
    seed_text = (form.get("seed") or "").strip()
    if seed_text and not seed_text.isdigit():
        errors["seed"] = _("A seed is a whole number from 0 to 2147483647.")
    if errors:
        return _render(errors, form, 422)
    try:
        share = share_from_percent(form.get("share") or "10")
        frozen = periods.freeze(db.session, current_actor(), first_day, last_day, share,
                                int(seed_text) if seed_text else None)
    except DomainError as problem:
        return _render(errors, form, refusal(problem, errors, ("from", "to", "share", "seed")))
    flash(_("Period frozen: its figures, records and sample will not change."), "success")
    return redirect(url_for("evidence.periods_page", _anchor=f"period-{frozen.id}"))


@bp.route("/periods/<int:period_id>/exports", methods=["POST"])
@requires("evidence.export")
def export_period(period_id):
    try:
        exports.request_export(db.session, current_actor(), periods.get(db.session, period_id))
    except DomainError as problem:
        return _render({"_form": str(problem.message)}, None, problem.status)
    flash(_("Export queued: the package is built in the background."), "success")
    return redirect(url_for("evidence.periods_page", _anchor=f"period-{period_id}"))


@bp.route("/exports/<int:export_id>/cancel", methods=["POST"])
@requires("evidence.export")
def cancel_export(export_id):
    try:
        export = exports.get(db.session, export_id)
        exports.cancel(db.session, export)
    except DomainError as problem:
        return _render({"_form": str(problem.message)}, None, problem.status)
    flash(_("Export cancelled."), "success")
    return redirect(url_for("evidence.periods_page", _anchor=f"period-{export.period_id}"))


@bp.route("/exports/<int:export_id>/download")
@requires("evidence.export")
def download_export(export_id):
    export = exports.get(db.session, export_id)
    return send_file(exports.downloadable(export), mimetype="application/zip",
                     as_attachment=True, download_name=export.file_name)
