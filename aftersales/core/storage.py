"""Uploaded files behind one small interface: a directory outside the web root in use,
memory in tests (UPLOAD_DIR = ":memory:"). Keys are random; names are never trusted."""

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from aftersales.core.errors import ValidationFailed

# The kinds of document accepted, recognised by their first bytes (not by name or header).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class MemoryStorage:
    def __init__(self):
        self.files: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> None:
        self.files[key] = data

    def get(self, key: str) -> bytes:
        return self.files[key]


class DirectoryStorage:
    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        if not key.replace("-", "").replace(".", "").replace("/", "").isalnum() or ".." in key:
            raise KeyError(key)
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()


def storage():
    """The app's upload storage, created on first use."""
    app = current_app
    if "aftersales_storage" not in app.extensions:
        where = app.config.get("UPLOAD_DIR") or str(Path(app.instance_path) / "uploads")
        app.extensions["aftersales_storage"] = (
            MemoryStorage() if where == ":memory:" else DirectoryStorage(Path(where))
        )
    return app.extensions["aftersales_storage"]


def sniff_document(data: bytes, field: str) -> tuple[str, str]:
    """(content type, suffix) of a PDF, PNG or JPEG document, or a ValidationFailed."""
    if not data:
        raise ValidationFailed(_l("The file is empty."), field=field)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(_l("The file is larger than 10 MB."), field=field)
    for magic, content_type, suffix in SIGNATURES:
        if data.startswith(magic):
            return content_type, suffix
    raise ValidationFailed(_l("Only PDF, PNG or JPEG documents are accepted."), field=field)


def store_document(folder: str, data: bytes, field: str) -> tuple[str, str]:
    """Check and keep a document; (key, content type)."""
    content_type, suffix = sniff_document(data, field)
    key = f"{folder}/{secrets.token_hex(16)}{suffix}"
    storage().put(key, data)
    return key, content_type
