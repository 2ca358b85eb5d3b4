"""Exports of audit packages: requested on a page or the API, built by the scheduler
(evidence.build_packages) or at once by the CLI, cancellable while they run.

Each request and each change of status is in the audit trail (who, when, which period,
the package's SHA-256); progress is written with plain UPDATEs on a connection of its
own, so the page sees it while the build's own transaction is still reading.

A running export names its builder (host:pid) and beats every few seconds. One whose
builder is gone (a dead process on this host, or no beat for a minute) does not hold its
period: a new request, a cancel or the scheduler ends it, and its leftover files go.
"""

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aftersales.core.audit import Actor, label_change
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, NotFound
from aftersales.evidence import settings
from aftersales.evidence.audit import package
from aftersales.evidence.models import AuditPeriod, PackageExport
from aftersales.extensions import db

log = logging.getLogger(__name__)
UNDER_WAY = ("queued", "running")
HEARTBEAT = timedelta(seconds=10)
ABANDONED_AFTER = timedelta(minutes=1)  # six beats missed: the builder is gone
INTERRUPTED = "interrupted: the build stopped before it finished"


def exports_dir() -> Path:
    return settings.current().exports_dir


def request_export(session: Session, actor: Actor, frozen: AuditPeriod,
                   status: str = "queued", file_name: str | None = None) -> PackageExport:
    """Ask for a package of `frozen`; one export of a period at a time. `file_name`: where
    a command-line export writes it (default: a new name in the exports folder)."""
    now = utcnow()
    for earlier in session.scalars(select(PackageExport).where(
        PackageExport.period_id == frozen.id, PackageExport.status.in_(UNDER_WAY)
    ).with_for_update()):
        if not orphaned(earlier, now):
            raise Conflict(_l("An export of this period is already under way."))
        _finish(earlier, "failed", INTERRUPTED)
    running = status == "running"
    export = PackageExport(
        period_id=frozen.id, status=status, requested_by_id=actor.id,
        requested_by_label=actor.label, requested_at=now,
        started_at=now if running else None, progress_at=now if running else None,
        builder=package.this_process() if running else "",
        file_name=file_name or package.default_name(frozen, secrets.token_hex(4)),
    )
    session.add(export)
    session.flush()
    return export


def get(session: Session, export_id: int) -> PackageExport:
    export = session.get(PackageExport, export_id)
    if export is None:
        raise NotFound(_l("No such export."))
    return export


def of_periods(session: Session, period_ids: list[int]) -> dict[int, list[PackageExport]]:
    """The exports of some periods, newest first (one query)."""
    found: dict[int, list[PackageExport]] = {pid: [] for pid in period_ids}
    for export in session.scalars(
        select(PackageExport).where(PackageExport.period_id.in_(period_ids))
        .order_by(PackageExport.id.desc())
    ):
        found[export.period_id].append(export)
    return found


def cancel(session: Session, export: PackageExport) -> None:
    """A queued export, or one whose builder is gone, is cancelled at once; a running one
    stops at its next step."""
    if export.status == "queued" or orphaned(export, utcnow()):
        _finish(export, "cancelled")
    elif export.status == "running":
        export.cancel_requested = True
    else:
        raise Conflict(_l("This export has finished; there is nothing to cancel."))
    label_change(session, export, "cancel")
    session.flush()


def _finish(export: PackageExport, status: str, error: str = "") -> None:
    export.status, export.finished_at, export.error = status, utcnow(), error


def orphaned(export: PackageExport, now: datetime) -> bool:
    """Running, but nobody is building it: its process is dead, or it stopped beating."""
    if export.status != "running":
        return False
    if export.builder and package.process_gone(export.builder):
        return True
    beat = export.progress_at or export.started_at
    return beat is not None and now - beat > ABANDONED_AFTER


def package_path(export: PackageExport) -> Path:
    return exports_dir() / export.file_name


def on_server(export: PackageExport) -> bool:
    """Finished and kept in the exports folder (a command-line export is written where its
    operator said, so the server has nothing to hand out)."""
    return export.status == "done" and package_path(export).is_file()


def downloadable(export: PackageExport) -> Path:
    if not on_server(export):
        raise NotFound(_l("This package is not ready, or was removed."))
    return package_path(export)


def _progress_reporter(export_id: int) -> package.Progress:
    table = PackageExport.__table__

    def report(done: int, total: int) -> None:
        with db.engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == export_id)
                               .values(steps_done=done, steps_total=total, progress_at=utcnow()))
            if connection.scalar(select(table.c.cancel_requested)
                                 .where(table.c.id == export_id)):
                raise package.Cancelled

    return report


def build(session: Session, export: PackageExport, destination: Path | None = None) -> None:
    """Build a running export's package, then record how it ended. Commits: the build
    reads in one transaction while progress commits on another connection, and the
    outcome is written in a fresh transaction after it."""
    export_id, label = export.id, export.requested_by_label
    frozen = session.get(AuditPeriod, export.period_id)
    destination = destination or package_path(export)
    try:
        with _beating(export_id):
            digest, size = package.build(session, frozen, destination, label,
                                         _progress_reporter(export_id))
    except package.Cancelled:
        session.rollback()
        _finish(get(session, export_id), "cancelled")
    except Exception as error:
        session.rollback()
        log.exception("evidence export %s failed", export_id)
        _finish(get(session, export_id), "failed", f"{type(error).__name__}: {error}"[:2000])
    else:
        session.rollback()  # end the long read before writing (SQLite WAL snapshots)
        done = get(session, export_id)
        _finish(done, "done")
        done.sha256, done.size_bytes, done.steps_done = digest, size, done.steps_total
    session.commit()


@contextmanager
def _beating(export_id: int) -> Iterator[None]:
    """Write the export's heartbeat every HEARTBEAT while the build runs (a step, such as
    a year's spreadsheet, may take longer than the time a silent builder is given)."""
    engine, table, stop = db.engine, PackageExport.__table__, threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT.total_seconds()):
            try:
                with engine.begin() as connection:
                    connection.execute(update(table).where(table.c.id == export_id)
                                       .values(progress_at=utcnow()))
            except Exception:  # a missed beat is retried; the build itself goes on
                log.warning("export %s: heartbeat not written", export_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"export-{export_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def next_queued(session: Session) -> PackageExport | None:
    """The oldest queued export no other scheduler is taking (locked until commit)."""
    return session.scalar(select(PackageExport).where(PackageExport.status == "queued")
                          .order_by(PackageExport.id).limit(1)
                          .with_for_update(skip_locked=True))


def start(session: Session, export: PackageExport) -> None:
    export.status, export.builder = "running", package.this_process()
    export.started_at = export.progress_at = utcnow()
    session.flush()


def fail_abandoned(session: Session, now: datetime | None = None) -> int:
    """Running exports nobody is building (the process died): failed, so the period can
    be exported again; and the files dead builds left in the exports folder removed."""
    now = now or utcnow()
    abandoned = [export for export in session.scalars(select(PackageExport).where(
        PackageExport.status == "running").with_for_update(skip_locked=True))
        if orphaned(export, now)]
    for export in abandoned:
        _finish(export, "failed", INTERRUPTED)
    session.flush()
    package.sweep_leftovers(exports_dir())
    return len(abandoned)
