"""The registers behind the evidence: managed documents and their versions (and those
published to customers), improvement actions (5.1.6), special deductions and the bonus,
and managers' attestations."""

from dataclasses import dataclass
from datetime import date, timedelta

import filetype
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from aftersales.core import audit
from aftersales.core.clock import local_today, utcnow
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.storage import storage
from aftersales.core.uploads import DOCUMENTS, check_upload, upload_limit
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.models import (
    ACTION_SOURCES,
    ACTION_STATES,
    ITEM_BASES,
    ITEM_KINDS,
    ITEM_STATES,
    Attestation,
    DocumentVersion,
    ImprovementAction,
    ManagedDocument,
    SpecialItem,
)

MAX_TITLE = 200
MAX_TEXT = 4000


def _text(value: str | None, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_l("Fill this in."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_l("At most %(n)d characters.", n=limit), field=field)
    return value


def _choice(value: str, allowed, field: str) -> str:
    if value not in allowed:
        raise ValidationFailed(_l("Choose one of the options."), field=field)
    return value


def _clause_number(value: str | None, field: str = "clause_number") -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if catalog_module.load().clause(value) is None:
        raise ValidationFailed(_l("There is no clause %(number)s.", number=value), field=field)
    return value


# ---------------------------------------------------------------- documents


def create_document(session: Session, actor, kind: str, title: str) -> ManagedDocument:
    _choice(kind, catalog_module.load().documents, "kind")
    document = ManagedDocument(
        kind=kind, title=_text(title, "title", limit=MAX_TITLE),
        created_by_id=actor.id if actor else None,
    )
    session.add(document)
    session.flush()
    return document


def get_document(session: Session, document_id: int) -> ManagedDocument:
    document = session.get(ManagedDocument, document_id)
    if document is None:
        raise NotFound(_l("There is no such document."))
    return document


def list_documents(session: Session) -> list[ManagedDocument]:
    return list(session.scalars(
        select(ManagedDocument).order_by(ManagedDocument.kind, ManagedDocument.id)
    ))


def versions_of(session: Session, document_ids) -> dict[int, list[DocumentVersion]]:
    """Every version of the documents, newest first, in one query."""
    found: dict[int, list[DocumentVersion]] = {}
    ids = list(document_ids)
    if not ids:
        return found
    for version in session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id.in_(ids))
        .order_by(DocumentVersion.id.desc())
    ):
        found.setdefault(version.document_id, []).append(version)
    return found


def add_version(session: Session, actor, document: ManagedDocument, version: str,
                effective_on: date, review_on: date | None, filename: str, content: bytes,
                note: str = "") -> DocumentVersion:
    """Upload a version (a draft until approved). The file is checked by its content."""
    content_type = check_upload(content, DOCUMENTS, upload_limit())
    if review_on is not None and review_on < effective_on:
        raise ValidationFailed(_l("The review date is before the effective date."),
                               field="review_on")
    label = _text(version, "version", limit=20)
    if session.scalar(select(DocumentVersion.id).where(
        DocumentVersion.document_id == document.id, DocumentVersion.version == label
    )):
        raise Conflict(_l("Version %(v)s exists already.", v=label), field="version")
    key = storage().write(content)
    row = DocumentVersion(
        document_id=document.id, version=label, effective_on=effective_on, review_on=review_on,
        note=_text(note, "note", required=False), file_key=key,
        filename=_text(filename or "document", "file", limit=200)[-200:],
        content_type=content_type, size_bytes=len(content),
        sha256=key, uploaded_by_id=actor.id if actor else None,
    )
    session.add(row)
    session.flush()
    return row


def get_version(session: Session, version_id: int) -> DocumentVersion:
    version = session.get(DocumentVersion, version_id)
    if version is None:
        raise NotFound(_l("There is no such document version."))
    return version


def approve_version(session: Session, actor, version: DocumentVersion) -> DocumentVersion:
    """Approve a draft: it counts as evidence from this moment (not from the effective day
    typed at upload). Four eyes: the person who uploaded it cannot approve it."""
    if version.status != "draft":
        raise Conflict(_l("Only a draft can be approved."), field="status")
    if actor is None or actor.id == version.uploaded_by_id:
        raise PermissionDenied(
            _l("Someone other than the person who uploaded a version approves it.")
        )
    version.status, version.approved_at = "approved", utcnow()
    version.approved_by_id = actor.id if actor else None
    audit.label_change(session, version, "approve")
    session.flush()
    return version


def withdraw_version(session: Session, version: DocumentVersion) -> DocumentVersion:
    if version.status != "approved":
        raise Conflict(_l("Only an approved version can be withdrawn."), field="status")
    version.status, version.withdrawn_at = "withdrawn", utcnow()
    audit.label_change(session, version, "withdraw")
    session.flush()
    return version


# ---------------------------------------------------------------- published to customers


@dataclass(frozen=True)
class PublishedDocument:
    """A document version as customers are shown it: what it is and its file, nothing of
    who uploaded or approved it."""

    version_id: int
    kind: str
    title: str
    version: str
    effective_on: date
    review_on: date | None
    content_type: str
    size_bytes: int
    file_key: str


def published_documents(session: Session, day: date) -> list[PublishedDocument]:
    """Of each document of a kind customers must be shown (public in catalog.toml), its
    newest approved version in force on `day`, in the catalog's order: what the portal
    shows customers (clauses 5.1.7.2, 5.2.1.3, 5.2.5.2 ...). One query."""
    kinds = list(catalog_module.load().documents)
    public = catalog_module.load().public_documents
    rows = session.execute(
        select(ManagedDocument, DocumentVersion)
        .join(DocumentVersion, DocumentVersion.document_id == ManagedDocument.id)
        .where(ManagedDocument.kind.in_(public), DocumentVersion.status == "approved",
               DocumentVersion.effective_on <= day,
               or_(DocumentVersion.review_on.is_(None), DocumentVersion.review_on >= day))
        .order_by(DocumentVersion.effective_on.desc(), DocumentVersion.id.desc()))
    newest: dict[int, PublishedDocument] = {}
    for document, version in rows:
        newest.setdefault(document.id, PublishedDocument(
            version_id=version.id, kind=document.kind, title=document.title,
            version=version.version, effective_on=version.effective_on,
            review_on=version.review_on, content_type=version.content_type,
            size_bytes=version.size_bytes, file_key=version.file_key))
    return sorted(newest.values(), key=lambda shown: (kinds.index(shown.kind), shown.title))


def published_kinds(session: Session, day: date) -> frozenset[str]:
    """The public document kinds published on `day` (a version in force), for those who
    count what the portal offers customers."""
    return frozenset(shown.kind for shown in published_documents(session, day))


def public_document_kinds() -> frozenset[str]:
    """The document kinds customers must be shown (public in catalog.toml)."""
    return catalog_module.load().public_documents


def published_versions(version_ids) -> Select:
    """The document versions given, as records for a figure to list (id, then named by
    their document's title and version)."""
    return select(DocumentVersion.id).where(DocumentVersion.id.in_(list(version_ids)))


def version_titles(session: Session, version_ids) -> dict[int, str]:
    """Document versions as people name them: the document's title and the version."""
    return {version_id: f"{title} {version}" for version_id, title, version in session.execute(
        select(DocumentVersion.id, ManagedDocument.title, DocumentVersion.version)
        .join(ManagedDocument, ManagedDocument.id == DocumentVersion.document_id)
        .where(DocumentVersion.id.in_(list(version_ids))))}


def published_file(session: Session, version_id: int, day: date
                   ) -> tuple[PublishedDocument, bytes]:
    """A published version and its file; any other version is not found, as if there
    were none (drafts, lapsed or withdrawn versions, staff-only kinds). The file is told
    by its content again: customers get only the kind that was checked and approved."""
    shown = {document.version_id: document
             for document in published_documents(session, day)}.get(version_id)
    content = storage().read(shown.file_key) if shown is not None else b""
    if shown is None or filetype.guess_mime(content) != shown.content_type:
        raise NotFound(_l("There is no such document."))
    return shown, content


# ---------------------------------------------------------------- improvement actions


def create_action(session: Session, actor, title: str, source: str, owner_name: str,
                  due_on: date, clause_number: str | None = None, description: str = "",
                  opened_on: date | None = None) -> ImprovementAction:
    opened_on = opened_on or local_today()
    if due_on < opened_on:
        raise ValidationFailed(_l("The due date is before the opening day."), field="due_on")
    action = ImprovementAction(
        title=_text(title, "title", limit=MAX_TITLE), source=_choice(source, ACTION_SOURCES,
                                                                     "source"),
        owner_name=_text(owner_name, "owner_name", limit=100),
        clause_number=_clause_number(clause_number), description=_text(
            description, "description", required=False),
        opened_on=opened_on, due_on=due_on, created_by_id=actor.id if actor else None,
    )
    session.add(action)
    session.flush()
    return action


def get_action(session: Session, action_id: int) -> ImprovementAction:
    action = session.get(ImprovementAction, action_id)
    if action is None:
        raise NotFound(_l("There is no such improvement action."))
    return action


def set_action_status(session: Session, action: ImprovementAction, status: str,
                      result: str = "", done_on: date | None = None) -> ImprovementAction:
    _choice(status, ACTION_STATES, "status")
    if action.status in ("done", "cancelled"):
        raise Conflict(_l("The action is finished already."), field="status")
    if status == "done":
        action.result = _text(result, "result")
        action.done_on = done_on or local_today()
    action.status = status
    audit.label_change(session, action, f"status:{status}")
    session.flush()
    return action


def action_titles(session: Session, action_ids: set[int]) -> dict[int, str]:
    """Improvement actions by their titles, for the records that name one (a complaint's
    corrective action), in one query."""
    if not action_ids:
        return {}
    return dict(session.execute(select(ImprovementAction.id, ImprovementAction.title)
                                .where(ImprovementAction.id.in_(action_ids))).all())


def unfinished_actions(session: Session) -> list[tuple[int, str]]:
    """(id, title) of the improvement actions still open or in progress, newest first: what
    a complaint's corrective action can be tied to."""
    return list(session.execute(
        select(ImprovementAction.id, ImprovementAction.title)
        .where(ImprovementAction.status.in_(("open", "in_progress")))
        .order_by(ImprovementAction.id.desc()).limit(500)).all())


def list_actions(session: Session) -> list[ImprovementAction]:
    return list(session.scalars(
        select(ImprovementAction).order_by(ImprovementAction.id.desc()).limit(500)
    ))


# ---------------------------------------------------------------- special items


def create_item(session: Session, actor, kind: str, basis: str, description: str,
                raised_on: date | None = None, clause_number: str | None = None,
                rectify_by: date | None = None) -> SpecialItem:
    _choice(kind, ITEM_KINDS, "kind")
    _choice(basis, ITEM_BASES, "basis")
    if (kind == "bonus") != (basis == "strength"):
        raise ValidationFailed(
            _l("A bonus is for an industry-leading strength; a deduction for a breach."),
            field="basis",
        )
    item = SpecialItem(
        kind=kind, basis=basis, description=_text(description, "description"),
        raised_on=raised_on or local_today(), clause_number=_clause_number(clause_number),
        rectify_by=rectify_by if kind == "deduction" else None,
        status="open" if kind == "deduction" else "rectified",
        rectified_on=None if kind == "deduction" else (raised_on or local_today()),
        created_by_id=actor.id if actor else None,
    )
    session.add(item)
    session.flush()
    return item


def get_item(session: Session, item_id: int) -> SpecialItem:
    item = session.get(SpecialItem, item_id)
    if item is None:
        raise NotFound(_l("There is no such entry."))
    return item


def set_item_status(session: Session, item: SpecialItem, status: str,
                    rectification: str = "", rectified_on: date | None = None) -> SpecialItem:
    _choice(status, ITEM_STATES, "status")
    if item.status in ("rectified", "void"):
        raise Conflict(_l("The entry is closed already."), field="status")
    if status == "rectified":
        item.rectification = _text(rectification, "rectification")
        item.rectified_on = rectified_on or local_today()
    elif rectification:
        item.rectification = _text(rectification, "rectification")
    item.status = status
    audit.label_change(session, item, f"status:{status}")
    session.flush()
    return item


def list_items(session: Session) -> list[SpecialItem]:
    return list(session.scalars(select(SpecialItem).order_by(SpecialItem.id.desc()).limit(500)))


# ---------------------------------------------------------------- attestations


def sign_attestation(session: Session, actor, clause_number: str, statement: str,
                     evidence_records: str = "", evidence=None,
                     signed_on: date | None = None) -> Attestation:
    """A manager attests an interview-type clause in their own name, saying what was
    checked and what it rests on: the records it names (work-order, complaint or session
    numbers) and/or an attached file (evidence: (filename, content), checked by
    its content). It counts from the moment it is signed."""
    if actor is None or "manager" not in actor.roles:
        raise PermissionDenied(_l("Only a manager signs an attestation."))
    number = _clause_number(clause_number)
    if number is None:
        raise ValidationFailed(_l("Fill this in."), field="clause_number")
    if not catalog_module.load().clause(number).attestation:
        raise ValidationFailed(
            _l("Clause %(number)s is not evidenced by attestation.", number=number),
            field="clause_number",
        )
    signed_on = signed_on or local_today()
    days = int(catalog_module.load().settings.get("attestation_valid_days", 365))
    attestation = Attestation(
        clause_number=number, statement=_text(statement, "statement"),
        signed_by_id=actor.id, signer_name=actor.display_name, signed_on=signed_on,
        valid_until=signed_on + timedelta(days=days - 1),
        evidence_records=_text(evidence_records, "evidence_records", required=False),
    )
    if evidence is not None:
        filename, content = evidence
        attestation.evidence_content_type = check_upload(content, DOCUMENTS, upload_limit())
        attestation.evidence_file_key = storage().write(content)
        attestation.evidence_filename = _text(filename or "evidence", "file", limit=200)
        attestation.evidence_sha256 = attestation.evidence_file_key
    session.add(attestation)
    session.flush()
    return attestation


def get_attestation(session: Session, attestation_id: int) -> Attestation:
    attestation = session.get(Attestation, attestation_id)
    if attestation is None:
        raise NotFound(_l("There is no such attestation."))
    return attestation


def withdraw_attestation(session: Session, attestation_id: int) -> Attestation:
    attestation = get_attestation(session, attestation_id)
    if attestation.withdrawn_at is not None:
        raise Conflict(_l("The attestation is withdrawn already."))
    attestation.withdrawn_at = utcnow()
    audit.label_change(session, attestation, "withdraw")
    session.flush()
    return attestation


def list_attestations(session: Session) -> list[Attestation]:
    return list(session.scalars(select(Attestation).order_by(Attestation.id.desc()).limit(500)))
