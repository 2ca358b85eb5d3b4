"""Uploads (certificate scans, courseware): size limit, type recognised from the content
(never from the name), bytes in the storage backend outside the web root."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from aftersales.core.errors import NotFound
from aftersales.core.storage import storage
from aftersales.core.uploads import MP4, OFFICE, SCANS, ZIP, check_upload, upload_limit
from aftersales.training.models import StoredFile

# What each purpose accepts, by the kind the content shows.
ACCEPTED = {
    "certificate_scan": SCANS,
    "courseware": SCANS | OFFICE | {MP4, ZIP},
}
NO_FILE = _l("Choose a file to upload.")


@dataclass(frozen=True)
class FileContent:
    file: StoredFile
    content: bytes


def _clean_name(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-200:] or "file"


def store(session: Session, content: bytes, name: str, purpose: str,
          actor_id: int | None) -> StoredFile:
    content_type = check_upload(content, ACCEPTED[purpose], upload_limit())
    key = storage().write(content)
    stored = StoredFile(
        purpose=purpose, storage_key=key, original_name=_clean_name(name),
        content_type=content_type, size_bytes=len(content), sha256=key, uploaded_by_id=actor_id,
    )
    session.add(stored)
    session.flush()
    return stored


def read(session: Session, file_id: int) -> FileContent:
    stored = session.get(StoredFile, file_id)
    if stored is None:
        raise NotFound(_l("No such file."))
    try:
        return FileContent(stored, storage().read(stored.storage_key))
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
