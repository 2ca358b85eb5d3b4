"""One check for every upload: the kind is told by the content, never the name, and the
size by the app's one limit; what passes is kept once, under its SHA-256."""

import hashlib
import io

import pytest

from aftersales.core.errors import ValidationFailed
from aftersales.core.storage import storage
from aftersales.core.uploads import DOCUMENTS, PDF, PNG, SCANS, check_upload, extension_of
from tests.complaints.factories import make_complaint
from tests.factories import bearer, make_token, make_user

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR a picture"
PDF_BYTES = b"%PDF-1.4 a letter"


def test_the_kind_is_what_the_content_is():
    assert check_upload(PNG_BYTES, SCANS, 1000) == PNG
    assert check_upload(PDF_BYTES, DOCUMENTS, 1000) == PDF
    assert extension_of(PDF) == ".pdf" and extension_of("application/x-unknown") == ""


def test_a_png_where_only_pdf_is_accepted_is_refused_whatever_its_name(app):
    with pytest.raises(ValidationFailed) as refused:
        check_upload(PNG_BYTES, {PDF}, 1000)
    assert refused.value.field == "file" and "pdf" in str(refused.value.message)


def test_a_program_named_and_declared_pdf_is_refused_by_the_api(client):
    headers = bearer(make_token(make_user("complaint_handler")))
    url = f"/api/v1/complaints/{make_complaint().id}/attachments"
    executable = client.post(url, headers=headers, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(b"MZ\x90\x00 a program"), "letter.pdf",
                                            "application/pdf")})
    assert executable.status_code == 422 and list(executable.json["errors"]) == ["file"]


def test_an_oversize_file_is_refused_naming_its_field(app):
    with pytest.raises(ValidationFailed) as refused:
        check_upload(PDF_BYTES + b"0" * 2000, SCANS, 1000, field="minutes")
    assert refused.value.field == "minutes" and refused.value.status == 422
    assert "MB" in str(refused.value.message) and "%(" not in str(refused.value.message)
    with pytest.raises(ValidationFailed) as empty:
        check_upload(b"", SCANS, 1000)
    assert empty.value.field == "file"


def test_the_limit_is_the_apps_one_setting(client, settings_changed):
    headers = bearer(make_token(make_user("complaint_handler")))
    url = f"/api/v1/complaints/{make_complaint().id}/attachments"
    settings_changed("core", upload_max_file_bytes=100)
    big = client.post(url, headers=headers, content_type="multipart/form-data",
                      data={"file": (io.BytesIO(PDF_BYTES + b"0" * 200), "big.pdf")})
    assert big.status_code == 422 and list(big.json["errors"]) == ["file"]


def test_an_accepted_file_is_stored_once_by_its_hash(client):
    headers = bearer(make_token(make_user("complaint_handler")))
    url = f"/api/v1/complaints/{make_complaint().id}/attachments"
    content = PDF_BYTES + b" sent twice"
    digest = hashlib.sha256(content).hexdigest()
    stored_before = len(storage().files)
    sent = [client.post(url, headers=headers, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(content), f"copy{n}.pdf")}) for n in (1, 2)]
    assert [response.status_code for response in sent] == [201, 201]
    assert {response.json["sha256"] for response in sent} == {digest}
    assert len(storage().files) == stored_before + 1 and storage().read(digest) == content
