"""Pages of the evidence engine for the manager and the auditor: the compliance
dashboard, one clause with the records behind it, managed documents, improvement
actions, special deductions, attestations and the rubric. Pages read snapshots."""

from datetime import date

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import NotFound as HTTPNotFound

from aftersales.core import charts
from aftersales.core.auth import can, requires
from aftersales.core.clock import local_today
from aftersales.core.forms import form_input, on_refusal, placed, query_input, submitted
from aftersales.core.home import TileView, home_tile, notices_for
from aftersales.core.storage import storage
from aftersales.core.uploads import extension_of
from aftersales.evidence import labels, services
from aftersales.evidence.blueprint import bp
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance import dashboard, engine, registry, rubric
from aftersales.evidence.models import (
    ACTION_SOURCES,
    ACTION_STATES,
    ITEM_BASES,
    ITEM_KINDS,
    ITEM_STATES,
)
from aftersales.evidence.schemas import (
    ActionInSchema,
    ActionsPageQuerySchema,
    ActionStatusSchema,
    AttestationPageSchema,
    DocumentInSchema,
    ItemInSchema,
    ItemsPageQuerySchema,
    ItemStatusSchema,
    RubricClauseInSchema,
    RubricSettingsPageSchema,
    RubricTargetInSchema,
    VersionPageSchema,
    rubric_weights_schema,
)
from aftersales.extensions import db


@bp.context_processor
def _helpers():
    locale = _locale()
    catalog = catalog_module.load()
    return {
        "catalog": catalog,
        "loc": locale,
        "status_label": lambda code: str(labels.STATUS_LABELS.get(code, code)),
        "evidence_label": lambda code: str(labels.EVIDENCE_LABELS.get(code, code)),
        "level_label": lambda code: str(labels.LEVEL_LABELS.get(code, code)),
        "labels": labels,
        "metric_name": lambda key: catalog.providers[key].name.text(locale),
        "document_name": lambda kind: catalog.documents[kind].text(locale),
        "fmt_value": dashboard.format_value,
        "departure_labels": {key: str(label) for key, label in labels.DEPARTURE_LABELS.items()},
        "record_url": record_url,
    }


def _locale() -> str:
    from flask_babel import get_locale

    return "en" if str(get_locale()) == "en" else "zh"


def record_names(session, checks, drills) -> dict[str, dict[int, str]]:
    """How the records the drill-downs list are named on the page, per record type: the
    kind of record where the name alone would not say it, then the name its module gives
    it (a WO number, a person, an outlet). One query per kind of record."""
    ids: dict[str, set[int]] = {}
    for check in checks:
        drill = drills.get(getattr(check, "key", None))
        if drill is not None and check.record_type:
            ids.setdefault(check.record_type, set()).update(drill.failing_ids,
                                                            drill.sample_ids)
    named = {}
    for record_type, record_ids in ids.items():
        kind = labels.RECORD_LABELS.get(record_type)
        names = registry.names_of(session, record_type, sorted(record_ids))
        named[record_type] = {rid: f"{kind} {name}" if kind else name
                              for rid, name in names.items()}
    return named


def record_url(record_type: str | None, record_id: int) -> str | None:
    link = registry.link_of(record_type) if record_type else None
    if link is None:
        return None
    endpoint, argument = link
    # As text: the argument may be the page's anchor (a city's row), which takes no number.
    return url_for(endpoint, **{argument: str(record_id)})


# ---------------------------------------------------------------- dashboard


@home_tile("evidence.read", order=40, jobs=frozenset({"manager", "auditor"}))
def _score_tile(session, user) -> TileView | None:
    snapshot = engine.latest(session)
    if snapshot is None:
        return TileView(_("Compliance score"), "—", _("No snapshot yet"),
                        url_for("evidence.index"))
    return TileView(_("Compliance score"), f"{float(snapshot.score):.1f}",
                    str(labels.LEVEL_LABELS[snapshot.level]), url_for("evidence.index"),
                    alert=snapshot.level is None)


@bp.route("")
@requires("evidence.read")
def index():
    registry.load_all()
    data = dashboard.summary(db.session)
    trend = engine.trend(db.session)
    return render_template(
        "evidence/dashboard.html", data=data, trend=trend, chart=trend_chart(trend),
        milestones=dashboard.certification_calendar(db.session),
        thresholds=dashboard.LEVEL_THRESHOLDS, departures=rubric.departures(db.session),
        notices=notices_for(db.session, current_user, "dashboard"),
    )


def trend_chart(snapshots) -> Markup:
    """The score by the day of each snapshot, with the certification levels dashed."""
    return charts.line_chart(
        [(snap.period_to, float(snap.score)) for snap in snapshots],
        title=_("Score over time"), empty=_("The trend appears after a second daily snapshot."),
        grid=(0, 50, 70, 80, 90, 100), marked=(70, 80, 90, 95),
    )


@bp.route("/recompute", methods=["POST"])
@requires("evidence.recompute")
def recompute():
    snapshot = engine.compute(db.session, kind="full")
    flash(_("Recomputed: score %(score)s.", score=snapshot.score), "success")
    return redirect(url_for("evidence.index"))


@bp.route("/clauses/<number>")
@requires("evidence.read")
def clause(number):
    registry.load_all()
    entry = catalog_module.load().clause(number)
    if entry is None:
        raise HTTPNotFound()
    view = dashboard.clause_detail(db.session, number)
    snapshot = engine.latest(db.session)
    drills = dashboard.drill_downs(db.session, snapshot, view) if view else {}
    return render_template(
        "evidence/clause.html", clause=entry, view=view, snapshot=snapshot, drills=drills,
        record_names=record_names(db.session, view.checks, drills) if view else {},
    )


def _refilled(render, shown):
    """How a page's own form is drawn again when refused: filled as it was sent, each
    reason beside its input (a reason about anything else at the top)."""
    return lambda errors, status: render(placed(errors, shown), submitted(), status)


# ---------------------------------------------------------------- documents

DOCUMENT_FIELDS = frozenset({"kind", "title"})
VERSION_FIELDS = frozenset({"version", "effective_on", "review_on", "file"})


def _render_documents(errors=None, form=None, status=200):
    documents = services.list_documents(db.session)
    today = local_today()
    return render_template(
        "evidence/documents.html", documents=documents,
        versions=services.versions_of(db.session, (d.id for d in documents)),
        published={shown.version_id
                   for shown in services.published_documents(db.session, today)},
        today=today, errors=errors or {}, form=form or {},
        may_write=can(current_user, "evidence.write"),
    ), status


def _refused_version(errors, status, document_id):
    """The refusal lands in the document's own upload form, filled as it was sent."""
    return _render_documents({document_id: placed(errors, VERSION_FIELDS)},
                             {document_id: submitted()}, status)


@bp.route("/documents")
@requires("evidence.read")
def documents():
    return _render_documents()


@bp.route("/documents", methods=["POST"])
@requires("evidence.write")
@on_refusal(_refilled(_render_documents, DOCUMENT_FIELDS))
def create_document():
    data = form_input(DocumentInSchema())
    document = services.create_document(db.session, current_user, data["kind"], data["title"])
    flash(_("Document “%(title)s” created; upload its first version.", title=document.title),
          "success")
    return redirect(url_for("evidence.documents", _anchor=f"doc-{document.id}"))


@bp.route("/documents/<int:document_id>/versions", methods=["POST"])
@requires("evidence.write")
@on_refusal(_refused_version)
def add_version(document_id):
    data = form_input(VersionPageSchema())
    upload = data["file"]
    services.add_version(
        db.session, current_user, services.get_document(db.session, document_id),
        data["version"], data["effective_on"], data["review_on"], upload.filename,
        upload.read(), note=data["note"],
    )
    flash(_("Version uploaded as a draft; it counts once approved."), "success")
    return redirect(url_for("evidence.documents", _anchor=f"doc-{document_id}"))


@bp.route("/versions/<int:version_id>/<action>", methods=["POST"])
@requires("evidence.write")
@on_refusal(lambda errors, status, version_id, action: _refused_version(
    errors, status, services.get_version(db.session, version_id).document_id))
def version_action(version_id, action):
    version = services.get_version(db.session, version_id)
    if action == "approve":
        services.approve_version(db.session, current_user, version)
        flash(_("Version %(v)s approved.", v=version.version), "success")
    elif action == "withdraw":
        services.withdraw_version(db.session, version)
        flash(_("Version %(v)s withdrawn.", v=version.version), "success")
    else:
        raise HTTPNotFound()
    return redirect(url_for("evidence.documents", _anchor=f"doc-{version.document_id}"))


@bp.route("/versions/<int:version_id>/file")
@requires("evidence.read")
def version_file(version_id):
    version = services.get_version(db.session, version_id)
    content = storage().read(version.file_key)
    extension = extension_of(version.content_type)
    response = Response(content, mimetype=version.content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="document-{version.id}{extension}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- improvement actions

ACTION_FIELDS = frozenset({"title", "owner_name", "due_on", "clause_number"})


def _render_actions(errors=None, form=None, status=200):
    query, _errors = query_input(ActionsPageQuerySchema())  # a bad id marks no row
    return render_template(
        "evidence/actions.html", actions=services.list_actions(db.session),
        sources=ACTION_SOURCES, states=ACTION_STATES, errors=errors or {}, form=form or {},
        today=local_today(),
        may_write=can(current_user, "evidence.write"),
        highlight=query["action_id"],
    ), status


@bp.route("/actions")
@requires("evidence.read")
def actions():
    return _render_actions()


@bp.route("/actions", methods=["POST"])
@requires("evidence.write")
@on_refusal(_refilled(_render_actions, ACTION_FIELDS))
def create_action():
    services.create_action(db.session, current_user, **form_input(ActionInSchema()))
    flash(_("Improvement action recorded."), "success")
    return redirect(url_for("evidence.actions"))


@bp.route("/actions/<int:action_id>/status", methods=["POST"])
@requires("evidence.write")
@on_refusal(lambda errors, status, action_id: _render_actions({action_id: errors}, None, status))
def action_status(action_id):
    data = form_input(ActionStatusSchema())
    services.set_action_status(db.session, services.get_action(db.session, action_id), **data)
    flash(_("Status changed."), "success")
    return redirect(url_for("evidence.actions"))


# ---------------------------------------------------------------- special deductions

ITEM_FIELDS = frozenset({"basis", "description", "raised_on", "rectify_by", "clause_number"})


def _render_deductions(errors=None, form=None, status=200):
    query, _errors = query_input(ItemsPageQuerySchema())  # a bad id marks no row
    return render_template(
        "evidence/deductions.html", items=services.list_items(db.session), kinds=ITEM_KINDS,
        bases=ITEM_BASES, states=ITEM_STATES, errors=errors or {}, form=form or {},
        may_write=can(current_user, "evidence.write"),
        highlight=query["item_id"],
    ), status


@bp.route("/deductions")
@requires("evidence.read")
def deductions():
    return _render_deductions()


@bp.route("/deductions", methods=["POST"])
@requires("evidence.write")
@on_refusal(_refilled(_render_deductions, ITEM_FIELDS))
def create_deduction():
    services.create_item(db.session, current_user, **form_input(ItemInSchema()))
    flash(_("Entry recorded."), "success")
    return redirect(url_for("evidence.deductions"))


@bp.route("/deductions/<int:item_id>/status", methods=["POST"])
@requires("evidence.write")
@on_refusal(lambda errors, status, item_id: _render_deductions({item_id: errors}, None, status))
def deduction_status(item_id):
    data = form_input(ItemStatusSchema())
    services.set_item_status(db.session, services.get_item(db.session, item_id), **data)
    flash(_("Status changed."), "success")
    return redirect(url_for("evidence.deductions"))


# ---------------------------------------------------------------- attestations


def _render_attestations(errors=None, form=None, status=200):
    attestable = [c for c in catalog_module.load().clauses if c.attestation]
    return render_template(
        "evidence/attestations.html", attestations=services.list_attestations(db.session),
        attestable=attestable, errors=errors or {}, form=form or {}, today=local_today(),
        may_attest=can(current_user, "evidence.attest"),
    ), status


@bp.route("/attestations")
@requires("evidence.read")
def attestations():
    return _render_attestations()


ATTESTATION_FIELDS = frozenset({"clause_number", "statement", "evidence_records", "file"})


@bp.route("/attestations", methods=["POST"])
@requires("evidence.attest")
@on_refusal(_refilled(_render_attestations, ATTESTATION_FIELDS))
def sign_attestation():
    data = form_input(AttestationPageSchema())
    upload = data["file"]
    evidence = (upload.filename, upload.read()) if upload else None
    services.sign_attestation(db.session, current_user, data["clause_number"],
                              data["statement"], data["evidence_records"], evidence)
    flash(_("Attestation signed in your name."), "success")
    return redirect(url_for("evidence.attestations"))


@bp.route("/attestations/<int:attestation_id>/file")
@requires("evidence.read")
def attestation_file(attestation_id):
    attestation = services.get_attestation(db.session, attestation_id)
    if attestation.evidence_file_key is None:
        raise HTTPNotFound()
    extension = extension_of(attestation.evidence_content_type)
    response = Response(storage().read(attestation.evidence_file_key),
                        mimetype=attestation.evidence_content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="attestation-{attestation.id}{extension}"'
    )
    return response


@bp.route("/attestations/<int:attestation_id>/withdraw", methods=["POST"])
@requires("evidence.attest")
def withdraw_attestation(attestation_id):
    services.withdraw_attestation(db.session, attestation_id)
    flash(_("Attestation withdrawn."), "success")
    return redirect(url_for("evidence.attestations"))


# ---------------------------------------------------------------- rubric


def _render_rubric(errors=None, form=None, status=200):
    rules = rubric.current(db.session)
    return render_template(
        "evidence/rubric.html", rules=rules, history=rubric.history(db.session),
        departures=rubric.departures(db.session),
        settings=rubric.SETTINGS, errors=errors or {}, form=form or {},
        may_edit=can(current_user, "evidence.rubric"),
        total_points=round(sum(r.points for r in rules.clauses.values() if r.applicable), 2),
    ), status


@bp.route("/rubric")
@requires("evidence.read")
def rubric_page():
    return _render_rubric()


@bp.route("/rubric/clauses/<number>", methods=["POST"])
@requires("evidence.rubric")
@on_refusal(lambda errors, status, number: _render_rubric({number: errors}, None, status))
def rubric_clause(number):
    data = form_input(RubricClauseInSchema())
    rubric.set_clause(db.session, current_user, number, data["points"], data["applicable"],
                      data["na_reason"], data["reason"], data["evidence_required"])
    flash(_("Clause %(number)s changed; the next snapshot uses it.", number=number), "success")
    return redirect(url_for("evidence.rubric_page", _anchor=f"c-{number}"))


@bp.route("/rubric/targets/<key>", methods=["POST"])
@requires("evidence.rubric")
@on_refusal(lambda errors, status, key: _render_rubric({key: errors}, None, status))
def rubric_target(key):
    data = form_input(RubricTargetInSchema())
    rubric.set_target(db.session, current_user, key, data["target"], data["reason"],
                      data["limit_hours"])
    flash(_("Target changed; the next snapshot uses it."), "success")
    return redirect(url_for("evidence.rubric_page", _anchor=f"t-{key}"))


@bp.route("/rubric/weights/<key>", methods=["POST"])
@requires("evidence.rubric")
@on_refusal(lambda errors, status, key: _render_rubric({f"{key} weights": errors}, None, status))
def rubric_weights(key):
    data = form_input(rubric_weights_schema(rubric.weighted_parts(key)))
    rubric.set_weights(db.session, current_user, key, data, data["reason"])
    flash(_("Weights changed; the next snapshot uses them."), "success")
    return redirect(url_for("evidence.rubric_page", _anchor=f"w-{key}"))


SETTINGS_FIELDS = frozenset({*rubric.SETTINGS, "reason"})


def _setting_text(value) -> str:
    """A setting as the rubric keeps it: a day in ISO form, a number of days in digits."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


@bp.route("/rubric/settings", methods=["POST"])
@requires("evidence.rubric")
@on_refusal(_refilled(_render_rubric, SETTINGS_FIELDS))
def rubric_settings():
    data = form_input(RubricSettingsPageSchema())
    # Only the settings the form sends change; a date sent blank clears that setting.
    for key in (key for key in rubric.SETTINGS if key in submitted()):
        rubric.set_setting(db.session, current_user, key, _setting_text(data[key]),
                           data["reason"])
    flash(_("Settings saved."), "success")
    return redirect(url_for("evidence.rubric_page", _anchor="settings"))
