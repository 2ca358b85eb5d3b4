"""Pages: the training overview (figures, certificates expiring), stored files, the XLSX
import, qualification rules and annual plans. Staff and certificates are in
staff_views.py, sessions and the trainee's sign-in in session_views.py."""

import io
from datetime import datetime, time, timedelta

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from aftersales.core.auth import can, requires
from aftersales.core.clock import DEFAULT_ZONE, local_today
from aftersales.core.forms import form_input, on_refusal, placed, submitted
from aftersales.core.home import TileView, home_tile
from aftersales.core.permissions import scope_of
from aftersales.extensions import db
from aftersales.training import figures as training_figures
from aftersales.training import files, imports, labels, services, sessions
from aftersales.training.blueprint import bp
from aftersales.training.jobs import REMINDER_DAYS
from aftersales.training.models import (
    CERTIFICATE_TYPES,
    DEPARTMENTS,
    POSTS,
    SESSION_KINDS,
    WORK_TYPES,
)
from aftersales.training.page_parts import XLSX
from aftersales.training.schemas import ImportFormSchema, PlanInSchema, RuleInSchema

# Certificates expiring within this many days are listed on the overview and counted on
# the trainer's tile: from the first expiry reminder on (jobs.py), one window for both.
EXPIRY_WINDOW = REMINDER_DAYS[0]
IMPORTERS = {"staff": imports.import_staff, "certificates": imports.import_certificates}


@bp.context_processor
def _labels():
    return {
        "kind_label": labels.kind, "post_label": labels.post,
        "department_label": labels.department, "certificate_label": labels.certificate,
        "method_label": labels.method, "work_type_label": labels.work_type,
        "percent": lambda share: "—" if share is None else f"{share * 100:.1f}%",
        "kinds": SESSION_KINDS, "posts": POSTS, "departments": DEPARTMENTS,
        "certificate_types": CERTIFICATE_TYPES, "work_types": WORK_TYPES,
        "post_options": [(p, labels.post(p)) for p in POSTS],
        "department_options": [(d, labels.department(d)) for d in DEPARTMENTS],
        "type_options": [(t, labels.certificate(t)) for t in CERTIFICATE_TYPES],
        "kind_options": [(k, labels.kind(k)) for k in SESSION_KINDS],
        "work_type_options": [(w, labels.work_type(w)) for w in WORK_TYPES],
    }


# --- home tiles ------------------------------------------------------------------------


@home_tile("training.write", order=70, jobs=frozenset({"trainer"}))
def _expiring_tile(session, user) -> TileView:
    today = local_today()
    expiring = services.expiring_count(session, scope_of(user, "training.write"), today,
                                       today + timedelta(days=EXPIRY_WINDOW))
    return TileView(_("Certificates expiring"), str(expiring),
                    _("Within %(days)d days: renew them before they lapse", days=EXPIRY_WINDOW),
                    url_for("training.index", _anchor="expiring"), alert=expiring > 0)


@home_tile("training.write", order=80, jobs=frozenset({"trainer"}))
def _sessions_this_week_tile(session, user) -> TileView:
    monday = local_today() - timedelta(days=local_today().weekday())
    start = datetime.combine(monday, time(), DEFAULT_ZONE)
    count = sessions.sessions_starting_count(session, scope_of(user, "training.write"),
                                             start, start + timedelta(days=7))
    return TileView(_("Training sessions this week"), str(count),
                    _("Rosters, sign-in and scores"), url_for("training.session_list"))


# --- overview --------------------------------------------------------------------------


@bp.route("/")
@requires("training.read")
def index():
    today = local_today()
    scope = scope_of(current_user, "training.read")
    return render_template(
        "training/index.html", figures=training_figures.figures(db.session, today),
        expiring=services.expiring_certificates(
            db.session, scope, today, today + timedelta(days=EXPIRY_WINDOW)),
        today=today, window=EXPIRY_WINDOW,
    )


@bp.route("/files/<int:file_id>")
@requires("training.read")
def download_file(file_id):
    found = files.read_permitted(db.session, file_id, scope_of(current_user, "training.read"))
    return send_file(io.BytesIO(found.content), mimetype=found.file.content_type,
                     as_attachment=True, download_name=found.file.original_name)


# --- import ----------------------------------------------------------------------------


def _render_import(errors: dict, status: int, refused: imports.ImportRefused | None = None):
    return render_template("training/import.html", errors=placed(errors, {"file"}),
                           refused=refused, kind=submitted().get("kind", "staff")), status


@bp.route("/import")
@requires("training.write")
def import_page():
    return _render_import({}, 200)


@bp.route("/import", methods=["POST"])
@requires("training.write")
@on_refusal(_render_import)
def import_workbook():
    data = form_input(ImportFormSchema())
    try:
        count = IMPORTERS[data["kind"]](db.session, data["file"].read())
    except imports.ImportRefused as refused:
        # Listed row by row on the page; it is refused before anything is written, and a
        # 422 commits nothing.
        return _render_import({}, refused.status, refused)
    flash(_("%(count)d rows imported.", count=count), "success")
    return redirect(url_for("training.import_page"))


@bp.route("/import/template-<any(staff, certificates):kind>.xlsx")
@requires("training.write")
def import_template(kind):
    return send_file(io.BytesIO(imports.template(kind)), as_attachment=True, mimetype=XLSX,
                     download_name=f"{kind}-template.xlsx")


# --- rules -----------------------------------------------------------------------------

RULE_FIELDS = frozenset({"certificate_type", "product_category", "work_type", "note"})


def _render_rules(errors: dict, status: int):
    return render_template("training/rules.html", rules=services.list_rules(db.session),
                           errors=placed(errors, RULE_FIELDS), form=submitted(),
                           may_edit=can(current_user, "training.rules")), status


@bp.route("/rules")
@requires("training.read")
def rules():
    return _render_rules({}, 200)


@bp.route("/rules", methods=["POST"])
@requires("training.rules")
@on_refusal(_render_rules)
def add_rule():
    services.add_rule(db.session, **form_input(RuleInSchema()))
    flash(_("Rule added."), "success")
    return redirect(url_for("training.rules"))


@bp.route("/rules/<int:rule_id>/delete", methods=["POST"])
@requires("training.rules")
def delete_rule(rule_id):
    services.delete_rule(db.session, rule_id)
    flash(_("Rule removed."), "success")
    return redirect(url_for("training.rules"))


# --- plans -----------------------------------------------------------------------------

PLAN_FIELDS = frozenset({"year", "title", "content", "planned_sessions", "planned_hours"})


def _render_plans(errors: dict, status: int, form=None):
    found = sessions.list_plans(db.session)
    return render_template(
        "training/plans.html", plans=found, errors=placed(errors, PLAN_FIELDS),
        form=form or submitted(),
        progress=sessions.plan_progress(db.session, [p.id for p in found]),
        may_write=can(current_user, "training.write"),
    ), status


@bp.route("/plans")
@requires("training.read")
def plans():
    return _render_plans({}, 200, {"year": str(local_today().year)})


@bp.route("/plans", methods=["POST"])
@requires("training.write")
@on_refusal(_render_plans)
def add_plan():
    sessions.create_plan(db.session, current_user.id, **form_input(PlanInSchema()))
    flash(_("Plan added."), "success")
    return redirect(url_for("training.plans"))
