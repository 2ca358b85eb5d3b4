"""/api/v1/evidence: every figure of the dashboard for BI tools, and the registers."""

from dataclasses import asdict

from flask import Response
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from aftersales.core.auth import requires
from aftersales.core.errors import NotFound
from aftersales.core.openapi import ANY_FILE, file_download
from aftersales.core.storage import storage
from aftersales.core.uploads import extension_of
from aftersales.evidence import services
from aftersales.evidence.blueprint import blp
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance import dashboard, engine, rubric
from aftersales.evidence.schemas import (
    ActionInSchema,
    ActionOutSchema,
    ActionStatusSchema,
    AttestationInSchema,
    AttestationOutSchema,
    CatalogClauseOutSchema,
    ClauseOutSchema,
    DocumentInSchema,
    DocumentOutSchema,
    FileSchema,
    ItemInSchema,
    ItemOutSchema,
    ItemStatusSchema,
    RubricChangeOutSchema,
    RubricClauseInSchema,
    RubricOutSchema,
    RubricTargetInSchema,
    ScoreOutSchema,
    SnapshotOutSchema,
    VersionFormSchema,
    VersionOutSchema,
)
from aftersales.extensions import db


def _summary():
    data = dashboard.summary(db.session)
    if data is None:
        raise NotFound(_l("No snapshot yet; POST /api/v1/evidence/snapshots computes one."))
    return data


def _clause_dict(view) -> dict:
    return {**asdict(view), "at_stake": view.at_stake}


@blp.route("/evidence/score")
@blp.response(200, ScoreOutSchema)
@requires("evidence.read")
def score():
    """The latest snapshot: score, projected level, points by group, gaps, calendar."""
    data = _summary()
    return {
        "snapshot": data.snapshot, "groups": data.groups, "stale": sorted(data.stale),
        "gaps": [_clause_dict(c) for c in data.gaps],
        "calendar": dashboard.certification_calendar(db.session),
    }


@blp.route("/evidence/clauses")
@blp.response(200, ClauseOutSchema(many=True))
@requires("evidence.read")
def clauses():
    """Every clause of the latest snapshot with its metrics and documents (the records
    behind a metric: GET /evidence/clauses/<number>)."""
    return [_clause_dict(c) for c in _summary().clauses]


@blp.route("/evidence/clauses/<number>")
@blp.response(200, ClauseOutSchema)
@requires("evidence.read")
def clause(number):
    """One clause with the records behind each measured metric: the first failing ones
    and a sample, counted again over the snapshot's period as of its computation."""
    view = dashboard.clause_detail(db.session, number)
    if view is None:
        raise NotFound(_l("There is no clause %(number)s.", number=number))
    drills = dashboard.drill_downs(db.session, engine.latest(db.session), view)
    found = _clause_dict(view)
    for check in found["checks"]:
        drill = drills.get(check.get("key"))
        if drill is not None:
            check.update(failing_ids=drill.failing_ids, sample_ids=drill.sample_ids)
    return found


@blp.route("/evidence/catalog")
@blp.response(200, CatalogClauseOutSchema(many=True))
@requires("evidence.read")
def catalog():
    return [{**asdict(c), "group": c.group} for c in catalog_module.load().clauses]


@blp.route("/evidence/snapshots")
@blp.response(200, SnapshotOutSchema(many=True))
@requires("evidence.read")
def snapshots():
    """The trend: the last full snapshot of each day over half a year, oldest first."""
    return engine.trend(db.session)


@blp.route("/evidence/snapshots", methods=["POST"])
@blp.response(201, SnapshotOutSchema)
@requires("evidence.recompute")
def recompute():
    """Recompute every clause now and store a snapshot."""
    return engine.compute(db.session, kind="full")


# ---------------------------------------------------------------- documents


@blp.route("/evidence/documents")
@blp.response(200, DocumentOutSchema(many=True))
@requires("evidence.read")
def documents():
    return services.list_documents(db.session)


@blp.route("/evidence/documents", methods=["POST"])
@blp.arguments(DocumentInSchema)
@blp.response(201, DocumentOutSchema)
@requires("evidence.write")
def create_document(data):
    return services.create_document(db.session, current_user, data["kind"], data["title"])


@blp.route("/evidence/documents/<int:document_id>/versions")
@blp.response(200, VersionOutSchema(many=True))
@requires("evidence.read")
def versions(document_id):
    services.get_document(db.session, document_id)
    return services.versions_of(db.session, [document_id]).get(document_id, [])


@blp.route("/evidence/documents/<int:document_id>/versions", methods=["POST"])
@blp.arguments(VersionFormSchema, location="form")
@blp.arguments(FileSchema, location="files")
@blp.response(201, VersionOutSchema)
@requires("evidence.write")
def add_version(data, files, document_id):
    """Upload a version (multipart: version, effective_on, review_on, file). Checked by
    content: PDF, PNG, JPEG or Office files, at most UPLOAD_MAX_FILE_BYTES."""
    document = services.get_document(db.session, document_id)
    upload = files["file"]
    return services.add_version(
        db.session, current_user, document, data["version"],
        data["effective_on"], data["review_on"], upload.filename or "document",
        upload.read(), note=data["note"],
    )


@blp.route("/evidence/document-versions/<int:version_id>/approval", methods=["POST"])
@blp.response(200, VersionOutSchema)
@requires("evidence.write")
def approve(version_id):
    version = services.get_version(db.session, version_id)
    return services.approve_version(db.session, current_user, version)


@blp.route("/evidence/document-versions/<int:version_id>/withdrawal", methods=["POST"])
@blp.response(200, VersionOutSchema)
@requires("evidence.write")
def withdraw(version_id):
    return services.withdraw_version(db.session, services.get_version(db.session, version_id))


@blp.route("/evidence/document-versions/<int:version_id>/file")
@blp.doc(**file_download(ANY_FILE, description="The document version's file."))
@requires("evidence.read")
def version_file(version_id):
    version = services.get_version(db.session, version_id)
    response = Response(storage().read(version.file_key), mimetype=version.content_type)
    extension = extension_of(version.content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="document-{version.id}{extension}"'
    )
    return response


# ---------------------------------------------------------------- registers


@blp.route("/evidence/improvement-actions")
@blp.response(200, ActionOutSchema(many=True))
@requires("evidence.read")
def actions():
    return services.list_actions(db.session)


@blp.route("/evidence/improvement-actions", methods=["POST"])
@blp.arguments(ActionInSchema)
@blp.response(201, ActionOutSchema)
@requires("evidence.write")
def create_action(data):
    return services.create_action(db.session, current_user, **data)


@blp.route("/evidence/improvement-actions/<int:action_id>/status", methods=["POST"])
@blp.arguments(ActionStatusSchema)
@blp.response(200, ActionOutSchema)
@requires("evidence.write")
def action_status(data, action_id):
    return services.set_action_status(db.session, services.get_action(db.session, action_id),
                                      **data)


@blp.route("/evidence/special-items")
@blp.response(200, ItemOutSchema(many=True))
@requires("evidence.read")
def items():
    return services.list_items(db.session)


@blp.route("/evidence/special-items", methods=["POST"])
@blp.arguments(ItemInSchema)
@blp.response(201, ItemOutSchema)
@requires("evidence.write")
def create_item(data):
    """A special deduction (kind deduction, basis law / company_rule / industry) or the
    special bonus (kind bonus, basis strength)."""
    return services.create_item(db.session, current_user, **data)


@blp.route("/evidence/special-items/<int:item_id>/status", methods=["POST"])
@blp.arguments(ItemStatusSchema)
@blp.response(200, ItemOutSchema)
@requires("evidence.write")
def item_status(data, item_id):
    return services.set_item_status(db.session, services.get_item(db.session, item_id), **data)


@blp.route("/evidence/attestations")
@blp.response(200, AttestationOutSchema(many=True))
@requires("evidence.read")
def attestations():
    return services.list_attestations(db.session)


@blp.route("/evidence/attestations", methods=["POST"])
@blp.arguments(AttestationInSchema)
@blp.response(201, AttestationOutSchema)
@requires("evidence.attest")
def sign(data):
    """Signed in the caller's name; only a manager attests."""
    return services.sign_attestation(db.session, current_user, data["clause_number"],
                                     data["statement"], data["evidence_records"])


# ---------------------------------------------------------------- rubric


@blp.route("/evidence/rubric")
@blp.response(200, RubricOutSchema)
@requires("evidence.read")
def get_rubric():
    return _rubric()


@blp.route("/evidence/rubric/clauses/<number>", methods=["PUT"])
@blp.arguments(RubricClauseInSchema)
@blp.response(200, RubricOutSchema)
@requires("evidence.rubric")
def set_clause(data, number):
    """Change a clause's points, or exclude it (applicable false, with na_reason)."""
    rubric.set_clause(db.session, current_user, number, data["points"], data["applicable"],
                      data["na_reason"], data["reason"], data["evidence_required"])
    return _rubric()


@blp.route("/evidence/rubric/targets/<key>", methods=["PUT"])
@blp.arguments(RubricTargetInSchema)
@blp.response(200, RubricOutSchema)
@requires("evidence.rubric")
def set_target(data, key):
    rubric.set_target(db.session, current_user, key, data["target"], data["reason"],
                      data["limit_hours"])
    return _rubric()


def _rubric() -> dict:
    rules = rubric.current(db.session)
    return {
        **asdict(rules),
        "clauses": [{"number": n, **asdict(r)} for n, r in rules.clauses.items()],
        "departures": rubric.departures(db.session),
    }


@blp.route("/evidence/rubric/history")
@blp.response(200, RubricChangeOutSchema(many=True))
@requires("evidence.read")
def rubric_history():
    return rubric.history(db.session)
