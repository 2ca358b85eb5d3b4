"""Work a person asks for and the scheduler does in the background: exporting a package
and freezing a period. Each piece of work is a row (PackageExport, FreezeRequest) that is
queued, taken by one runner, and ends done, failed or cancelled.

A running row names its runner (host:pid) and beats every few seconds. One whose runner
is gone (a dead process on this host, or no beat for a minute) does not hold its period:
a new request, a cancel or the scheduler ends it.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.evidence.audit import package
from aftersales.evidence.models import FreezeRequest, PackageExport
from aftersales.extensions import db

log = logging.getLogger(__name__)
UNDER_WAY = ("queued", "running")
HEARTBEAT = timedelta(seconds=10)
ABANDONED_AFTER = timedelta(minutes=1)  # six beats missed: the runner is gone
INTERRUPTED = "interrupted: the work stopped before it finished"

Work = PackageExport | FreezeRequest


def orphaned(work: Work, now: datetime) -> bool:
    """Running, but nobody is doing it: its process is dead, or it stopped beating."""
    if work.status != "running":
        return False
    if work.builder and package.process_gone(work.builder):
        return True
    beat = work.progress_at or work.started_at
    return beat is not None and now - beat > ABANDONED_AFTER


def finish(work: Work, status: str, error: str = "") -> None:
    work.status, work.finished_at, work.error = status, utcnow(), error


def start(session: Session, work: Work) -> None:
    work.status, work.builder = "running", package.this_process()
    work.started_at = work.progress_at = utcnow()
    session.flush()


def next_queued(session: Session, model: type[Work]) -> Work | None:
    """The oldest queued work no other scheduler is taking (locked until commit)."""
    return session.scalar(select(model).where(model.status == "queued")
                          .order_by(model.id).limit(1).with_for_update(skip_locked=True))


def work_through(session: Session, model: type[Work],
                 fail_abandoned: Callable[[Session], int],
                 run: Callable[[Session, Work], None]) -> None:
    """Fail the work dead runners left, then run the queued work oldest first, committing
    as each one starts (`run` commits how it ended)."""
    fail_abandoned(session)
    session.commit()
    while (work := next_queued(session, model)) is not None:
        start(session, work)
        session.commit()
        run(session, work)


def running_abandoned(session: Session, model: type[Work], now: datetime) -> list[Work]:
    """Running work nobody is doing any more (locked until commit)."""
    return [work for work in session.scalars(select(model).where(
        model.status == "running").with_for_update(skip_locked=True))
        if orphaned(work, now)]


@contextmanager
def beating(model: type[Work], work_id: int) -> Iterator[None]:
    """Write the work's heartbeat every HEARTBEAT on a connection of its own while it runs
    (one step, such as a year's spreadsheet or a freeze's transaction, may take longer
    than the time a silent runner is given)."""
    engine, table, stop = db.engine, model.__table__, threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT.total_seconds()):
            try:
                with engine.begin() as connection:
                    connection.execute(update(table).where(table.c.id == work_id)
                                       .values(progress_at=utcnow()))
            except Exception:  # a missed beat is retried; the work itself goes on
                log.warning("%s %s: heartbeat not written", table.name, work_id,
                            exc_info=True)

    thread = threading.Thread(target=beat, name=f"{table.name}-{work_id}-heartbeat",
                              daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
