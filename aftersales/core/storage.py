"""Where uploaded files live: behind a two-method interface, outside the web root.

The file-system backend keeps each file under the instance folder (never under static/),
named by a random key; the in-memory backend is for tests. Which one: the app setting
UPLOAD_STORAGE ("files", the default, or "memory"); the folder: UPLOAD_DIR
(AFTERSALES_UPLOAD_DIR, default instance/uploads). Only the services that check who may
read a file hand its bytes out.
"""

import secrets
from pathlib import Path
from typing import Protocol

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

from aftersales.core.errors import ValidationFailed


class Storage(Protocol):
    def put(self, content: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...


def _new_key() -> str:
    return secrets.token_hex(16)


class FileStorage:
    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
            raise KeyError(key)
        return self.root / key[:2] / key

    def put(self, content: bytes) -> str:
        key = _new_key()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return key

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as error:
            raise KeyError(key) from error


class MemoryStorage:
    def __init__(self):
        self.files: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        key = _new_key()
        self.files[key] = bytes(content)
        return key

    def get(self, key: str) -> bytes:
        return self.files[key]


def storage() -> Storage:
    """The app's storage backend (made once per app)."""
    app = current_app._get_current_object()
    backend = app.extensions.get("aftersales.storage")
    if backend is None:
        if app.config.get("UPLOAD_STORAGE", "files") == "memory":
            backend = MemoryStorage()
        else:
            backend = FileStorage(Path(app.config.get("UPLOAD_DIR")
                                       or Path(app.instance_path) / "uploads"))
        app.extensions["aftersales.storage"] = backend
    return backend


# Documents (outlet agreements and the like): PDF or a scan, recognised by content.
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def sniff_document(data: bytes, field: str) -> tuple[str, str]:
    """(content type, suffix) of a PDF, PNG or JPEG document, or a ValidationFailed."""
    if not data:
        raise ValidationFailed(_l("The file is empty."), field=field)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(_l("The file is larger than 10 MB."), field=field)
    guess = filetype.guess(data)
    if guess is None or guess.mime not in DOCUMENT_TYPES:
        raise ValidationFailed(_l("Only PDF, PNG or JPEG documents are accepted."), field=field)
    return guess.mime, DOCUMENT_TYPES[guess.mime]


def store_document(data: bytes, field: str) -> tuple[str, str]:
    """Check and keep a document; (key, content type)."""
    content_type, _suffix = sniff_document(data, field)
    return storage().put(data), content_type
