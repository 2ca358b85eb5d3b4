"""UploadedFile: a page's file input read through the form layer."""

import io

import pytest
from marshmallow import Schema
from werkzeug.datastructures import FileStorage

from aftersales.core.fields import UploadedFile
from aftersales.core.forms import FormRefused, form_input


class UploadSchema(Schema):
    file = UploadedFile(load_default=None)


def test_an_uploaded_file_is_handed_over_unread(app):
    with app.test_request_context("/x", method="POST", content_type="multipart/form-data",
                                  data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}):
        upload = form_input(UploadSchema())["file"]
        assert isinstance(upload, FileStorage) and upload.filename == "a.pdf"
        assert upload.read() == b"%PDF-1.4"


def test_text_sent_under_a_files_name_is_refused(app):
    with app.test_request_context("/x", method="POST", data={"file": "C:/secret.pdf"},
                                  headers={"Accept-Language": "en"}), \
            pytest.raises(FormRefused) as refused:
        form_input(UploadSchema())
    assert refused.value.field_errors == {"file": "Choose a file."}
