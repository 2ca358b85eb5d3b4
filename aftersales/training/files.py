"""Uploads (certificate scans, courseware): size limit, type recognised from the content
(never from the name), bytes in the storage backend outside the web root."""

import hashlib
from dataclasses import dataclass

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.storage import storage
from aftersales.training.models import StoredFile

# What each purpose accepts, by the type the content shows (MIME -> extension shown).
ACCEPTED = {
    "certificate_scan": {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"},
    "courseware": {
        "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png",
        "video/mp4": "mp4", "application/zip": "zip",
    },
}
NO_FILE = _l("Choose a file to upload.")
OFFICE = {  # Office Open XML files are zip archives; their names tell which kind
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class FileContent:
    file: StoredFile
    content: bytes


def max_bytes() -> int:
    return int(current_app.config.get("TRAINING_MAX_FILE_BYTES", 10 * 1024 * 1024))


def _kind(content: bytes, purpose: str, name: str) -> str:
    guess = filetype.guess(content)
    mime = guess.mime if guess is not None else None
    if mime not in ACCEPTED[purpose]:
        raise ValidationFailed(
            _l("The file's content is not an accepted type (%(types)s), whatever its name.",
               types=", ".join(sorted(set(ACCEPTED[purpose].values())))),
            field="file",
        )
    if mime == "application/zip":
        suffix = name[name.rfind("."):].lower() if "." in name else ""
        return OFFICE.get(suffix, mime)
    return mime


def _clean_name(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-200:] or "file"


def store(session: Session, content: bytes, name: str, purpose: str,
          actor_id: int | None) -> StoredFile:
    if not content:
        raise ValidationFailed(_l("The file is empty."), field="file")
    if len(content) > max_bytes():
        raise ValidationFailed(
            _l("The file is larger than %(size)d MB.", size=max_bytes() // (1024 * 1024)),
            field="file",
        )
    content_type = _kind(content, purpose, name)
    stored = StoredFile(
        purpose=purpose, storage_key=storage().put(content), original_name=_clean_name(name),
        content_type=content_type, size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(), uploaded_by_id=actor_id,
    )
    session.add(stored)
    session.flush()
    return stored


def read(session: Session, file_id: int) -> FileContent:
    stored = session.get(StoredFile, file_id)
    if stored is None:
        raise NotFound(_l("No such file."))
    try:
        return FileContent(stored, storage().get(stored.storage_key))
    except KeyError as error:
        raise NotFound(_l("No such file.")) from error


def read_permitted(session: Session, file_id: int, scope) -> FileContent:
    """The file, if the reader's scope reaches the certificate or session it belongs to."""
    from sqlalchemy import select

    from aftersales.training import services, sessions
    from aftersales.training.models import Certificate, Courseware, Staff, TrainingSession

    if scope is not None and not scope.everywhere:
        scan = services.scoped_staff(
            select(Certificate.id).join(Staff, Staff.id == Certificate.staff_id)
            .where(Certificate.scan_file_id == file_id), scope,
        )
        courseware = sessions.scoped_sessions(
            select(Courseware.id).join(TrainingSession, TrainingSession.id == Courseware.session_id)
            .where(Courseware.file_id == file_id), scope,
        )
        if session.scalar(scan) is None and session.scalar(courseware) is None:
            raise NotFound(_l("No such file."))
    return read(session, file_id)
