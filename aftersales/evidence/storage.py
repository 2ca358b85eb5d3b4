"""Where document files live: behind a small interface, outside the web root.

LocalStore keeps them under EVIDENCE_FILES_DIR (default instance/evidence-files, never
served statically); MemoryStore serves the tests. Files are named by their SHA-256.
Uploads are checked by content (magic bytes), not by the name or the declared type.
"""

import hashlib
import os
import zipfile
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from aftersales.core.errors import ValidationFailed

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# content type -> the file's first bytes
SIGNATURES = (
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
)
OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EXTENSIONS = {
    "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
    OFFICE["word/"]: ".docx", OFFICE["xl/"]: ".xlsx", OFFICE["ppt/"]: ".pptx",
}


def sniff(content: bytes) -> str | None:
    """The content type the bytes really are, among those accepted; None otherwise."""
    for content_type, magic in SIGNATURES:
        if content.startswith(magic):
            return content_type
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, content_type in OFFICE.items():
                if any(name.startswith(prefix) for name in names):
                    return content_type
    return None


def check_upload(content: bytes, max_bytes: int) -> str:
    if not content:
        raise ValidationFailed(_l("The file is empty."), field="file")
    if len(content) > max_bytes:
        raise ValidationFailed(
            _l("The file is larger than %(mb)s MB.", mb=f"{round(max_bytes / 1048576, 2):g}"),
            field="file",
        )
    content_type = sniff(content)
    if content_type is None:
        raise ValidationFailed(
            _l("Upload a PDF, an image (PNG, JPEG) or an Office file (docx, xlsx, pptx)."),
            field="file",
        )
    return content_type


class MemoryStore:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        key = hashlib.sha256(content).hexdigest()
        self.files[key] = content
        return key

    def get(self, key: str) -> bytes:
        return self.files[key]


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError("not a file key")
        return self.root / key[:2] / key

    def put(self, content: bytes) -> str:
        key = hashlib.sha256(content).hexdigest()
        path = self._path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(content)
            os.replace(partial, path)
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()


_MEMORY = MemoryStore()


def store():
    """The configured store: EVIDENCE_FILES_DIR, or memory when set to ':memory:'."""
    configured = current_app.config.get("EVIDENCE_FILES_DIR")
    if configured == ":memory:":
        return _MEMORY
    return LocalStore(Path(configured or Path(current_app.instance_path) / "evidence-files"))


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_FILE_BYTES", DEFAULT_MAX_BYTES))
