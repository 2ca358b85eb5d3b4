"""Uploads are checked by content and size; versions need approval to count."""

import io
import zipfile

import pytest

from aftersales.core.clock import local_today
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.storage import storage
from aftersales.core.uploads import DOCUMENTS, check_upload
from aftersales.evidence import services
from aftersales.evidence.models import DocumentVersion
from aftersales.extensions import db
from tests.evidence.factories import PDF, PNG, approver, days_ago, make_document


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_the_content_decides_the_type_not_the_name():
    assert check_upload(PDF, DOCUMENTS, 1000) == "application/pdf"
    assert check_upload(PNG, DOCUMENTS, 1000) == "image/png"
    assert check_upload(docx(), DOCUMENTS, 1000).endswith("wordprocessingml.document")
    with pytest.raises(ValidationFailed):
        check_upload(b"MZ\x90\x00 an executable named manual.pdf", DOCUMENTS, 1000)


def test_an_upload_that_is_not_a_document_is_refused():
    document, _ = make_document()
    with pytest.raises(ValidationFailed) as refused:
        services.add_version(db.session, None, document, "V2", days_ago(0),
                             None, "manual.pdf", b"<script>alert(1)</script>")
    assert refused.value.field == "file"


def test_an_upload_over_the_limit_is_refused(settings_changed):
    document, _ = make_document()
    settings_changed("core", upload_max_file_bytes=1000)
    with pytest.raises(ValidationFailed) as refused:
        services.add_version(db.session, None, document, "V2", days_ago(0),
                             None, "big.pdf", PDF + b"0" * 2000)
    assert refused.value.field == "file" and "%(mb)s" not in str(refused.value.message)


def test_the_file_is_kept_by_its_digest_and_read_back():
    _, version = make_document()
    assert storage().read(version.file_key) == PDF
    assert version.sha256 == version.file_key and version.size_bytes == len(PDF)


def test_in_force_means_approved_effective_and_not_past_review():
    _, version = make_document(approve=False, effective_days_ago=10)
    assert not version.in_force_on(days_ago(0))
    services.approve_version(db.session, approver(), version)
    assert version.in_force_on(days_ago(0))
    assert not version.in_force_on(days_ago(11))
    _, lapsed = make_document(effective_days_ago=100, review_in_days=-1)
    assert not lapsed.in_force_on(days_ago(0))


def test_a_version_is_approved_once():
    _, version = make_document()
    with pytest.raises(Conflict):
        services.approve_version(db.session, approver(), version)


def test_the_same_version_label_twice_is_a_conflict():
    document, _ = make_document()
    with pytest.raises(Conflict):
        services.add_version(db.session, None, document, "V1", days_ago(0),
                             None, "m.pdf", PDF)
    assert db.session.query(DocumentVersion).count() == 1


def test_the_engine_says_which_public_kinds_are_published():
    """Published: a kind catalog.toml marks public, with an approved version in force."""
    make_document(kind="service_commitments")
    make_document(kind="warranty_policy", approve=False)
    make_document(kind="budget")
    assert services.published_kinds(db.session, local_today()) == {"service_commitments"}


def test_a_file_whose_content_is_not_the_approved_kind_is_not_handed_out():
    _document, version = make_document(kind="fee_schedule")
    version.file_key = storage().write(PNG)
    with pytest.raises(NotFound):
        services.published_file(db.session, version.id, local_today())
