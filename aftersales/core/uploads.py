"""What an upload may be: told by its content (the `filetype` library reads its first
bytes), never by its name or declared type, and no larger than the app's limit
(UPLOAD_MAX_FILE_BYTES, AFTERSALES_UPLOAD_MAX_FILE_BYTES, 10 MiB by default)."""

from collections.abc import Collection

import filetype
from flask_babel import lazy_gettext as _l

from aftersales.core import settings
from aftersales.core.errors import ValidationFailed

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
MP4 = "video/mp4"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SCANS = frozenset({PDF, PNG, JPEG})
OFFICE = frozenset({DOCX, XLSX, PPTX})
DOCUMENTS = SCANS | OFFICE


def upload_limit() -> int:
    """The largest file the app accepts, in bytes."""
    return settings.platform().upload_max_file_bytes


def extension_of(kind: str) -> str:
    """The usual file-name extension of a kind (".pdf"), for downloads; "" if unknown."""
    known = filetype.get_type(mime=kind)
    return f".{known.extension}" if known is not None else ""


def check_upload(content: bytes, accepted_kinds: Collection[str], max_bytes: int,
                 field: str = "file") -> str:
    """The kind (MIME type) the bytes are, if accepted; else ValidationFailed on `field`."""
    if not content:
        raise ValidationFailed(_l("The file is empty."), field=field)
    if len(content) > max_bytes:
        raise ValidationFailed(
            _l("The file is larger than %(mb)s MB.", mb=f"{round(max_bytes / 1048576, 2):g}"),
            field=field,
        )
    guess = filetype.guess(content)
    if guess is None or guess.mime not in accepted_kinds:
        raise ValidationFailed(
            _l("The file's content is not an accepted type (%(types)s), whatever its name.",
               types=", ".join(sorted({extension_of(kind)[1:] for kind in accepted_kinds}))),
            field=field,
        )
    return guess.mime
