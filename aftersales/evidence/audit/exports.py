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
from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aftersales.core.audit import Actor, label_change
from aftersales.core.clock import utcnow
from aftersales.core.errors import Conflict, NotFound
from aftersales.evidence import settings
from aftersales.evidence.audit import background, package
from aftersales.evidence.audit.background import (
    INTERRUPTED,
    UNDER_WAY,
    finish,
    orphaned,
)
from aftersales.evidence.models import AuditPeriod, PackageExport
from aftersales.extensions import db

log = logging.getLogger(__name__)


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
        finish(earlier, "failed", INTERRUPTED)
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
        finish(export, "cancelled")
    elif export.status == "running":
        export.cancel_requested = True
    else:
        raise Conflict(_l("This export has finished; there is nothing to cancel."))
    label_change(session, export, "cancel")
    session.flush()


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
        with background.beating(PackageExport, export_id):
            digest, size = package.build(session, frozen, destination, label,
                                         _progress_reporter(export_id))
    except package.Cancelled:
        session.rollback()
        finish(get(session, export_id), "cancelled")
    except Exception as error:
        session.rollback()
        log.exception("evidence export %s failed", export_id)
        finish(get(session, export_id), "failed", f"{type(error).__name__}: {error}"[:2000])
    else:
        session.rollback()  # end the long read before writing (SQLite WAL snapshots)
        done = get(session, export_id)
        finish(done, "done")
        done.sha256, done.size_bytes, done.steps_done = digest, size, done.steps_total
    session.commit()


def fail_abandoned(session: Session, now: datetime | None = None) -> int:
    """Running exports nobody is building (the process died): failed, so the period can
    be exported again; and the files dead builds left in the exports folder removed."""
    abandoned = background.running_abandoned(session, PackageExport, now or utcnow())
    for export in abandoned:
        finish(export, "failed", INTERRUPTED)
    session.flush()
    package.sweep_leftovers(exports_dir())
    return len(abandoned)
