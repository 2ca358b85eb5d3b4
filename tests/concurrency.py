"""Writers released at the same instant on real PostgreSQL, for the race tests: each in its
own thread, app context and session, as concurrent requests or jobs would be."""

import threading

import pytest

from aftersales.core.errors import DomainError
from aftersales.extensions import db


def skip_unless_postgresql(what: str):
    """An autouse fixture (assign it to a module name) skipping the module's races where
    SQLite would serialise them."""

    @pytest.fixture(autouse=True)
    def postgresql_only():
        if db.engine.dialect.name != "postgresql":
            pytest.skip(f"{what} need PostgreSQL (AFTERSALES_TEST_DATABASE_URL)")

    return postgresql_only


def run_together(app, count: int, work) -> list:
    """Calls `work()` from `count` threads at once, committing what each did; returns each
    one's result, or the DomainError that refused it (its change rolled back)."""
    outcomes, lock, barrier = [], threading.Lock(), threading.Barrier(count)

    def worker():
        with app.app_context():
            barrier.wait()
            try:
                outcome = work()
                db.session.commit()
            except DomainError as refusal:
                db.session.rollback()
                outcome = refusal
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()  # the caller's session reads what the threads committed
    return outcomes


def refused(outcomes: list) -> int:
    return sum(isinstance(outcome, DomainError) for outcome in outcomes)
