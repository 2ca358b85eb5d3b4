"""An export whose builder was killed does not hold its period: the next request takes
over at once, cancel ends it, and the dead build's partial files are swept."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from aftersales import scheduler
from aftersales.core.clock import utcnow
from aftersales.evidence.audit import background, exports, package
from aftersales.extensions import db
from tests.evidence.package_factories import MANAGER, freeze, tickets_in_two_outlets

# Builds the export in a child process and stops for good after the first step, so the
# test can kill it mid-way with its partial package on disk.
STALLING_BUILDER = textwrap.dedent("""
    import json, sys, time
    from aftersales import create_app
    from aftersales.evidence.audit import background, exports, package

    app = create_app(json.loads(sys.argv[1]))
    write = package._write

    def stalling(session, frozen, path, generated_by, progress):
        def stall(done, total):
            progress(done, total)
            print("building", flush=True)
            time.sleep(3600)
        write(session, frozen, path, generated_by, stall)

    package._write = stalling
    with app.app_context():
        from aftersales.extensions import db
        export = exports.get(db.session, int(sys.argv[2]))
        background.start(db.session, export)
        db.session.commit()
        exports.build(db.session, export)
""")
CONFIG_KEYS = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "UPLOAD_DIR",
               "EVIDENCE_EXPORTS_DIR", "EVIDENCE_SIGNING_KEY_FILE")


def leftovers() -> list[str]:
    return sorted(entry.name for entry in exports.exports_dir().glob(".*")
                  if package.LEFTOVER.match(entry.name))


@pytest.fixture
def killed_export(app):
    """An export whose builder process was SIGKILLed after its first step."""
    tickets_in_two_outlets(4)
    frozen = freeze()
    export = exports.request_export(db.session, MANAGER, frozen)
    db.session.commit()
    config = json.dumps({key: app.config[key] for key in CONFIG_KEYS})
    child = subprocess.Popen([sys.executable, "-c", STALLING_BUILDER, config, str(export.id)],  # noqa: S603
                             stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert child.stdout.readline().strip() == "building"
        assert leftovers()  # the partial package of the build
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()  # reaped, as a shell or a process manager would
    db.session.rollback()
    return frozen, exports.get(db.session, export.id)


def test_a_new_export_of_the_period_is_taken_at_once(killed_export):
    frozen, dead = killed_export
    assert dead.status == "running" and exports.orphaned(dead, utcnow())
    again = exports.request_export(db.session, MANAGER, frozen)
    db.session.commit()
    assert again.status == "queued"
    assert exports.get(db.session, dead.id).status == "failed"


def test_the_next_build_sweeps_the_dead_builds_files_and_succeeds(app, killed_export):
    frozen, _dead = killed_export
    again = exports.request_export(db.session, MANAGER, frozen)
    db.session.commit()
    assert scheduler.run_job(app, {job.id: job for job in scheduler.REGISTRY}[
        "evidence.build_packages"], "host-a:1")
    db.session.rollback()
    assert exports.get(db.session, again.id).status == "done"
    assert leftovers() == []


def test_cancel_ends_an_export_whose_builder_is_gone(killed_export):
    _frozen, dead = killed_export
    exports.cancel(db.session, dead)
    db.session.commit()
    assert exports.get(db.session, dead.id).status == "cancelled"


def test_an_export_on_another_host_counts_as_gone_only_after_a_minute_of_silence():
    from aftersales.evidence.models import PackageExport

    beat = utcnow()
    export = PackageExport(status="running", builder="elsewhere:1", progress_at=beat,
                           started_at=beat)
    assert not exports.orphaned(export, beat + timedelta(seconds=30))
    assert exports.orphaned(export, beat + background.ABANDONED_AFTER + timedelta(seconds=1))


def test_a_live_builders_files_are_left_alone(tmp_path: Path):
    mine = tmp_path / f".p.zip.{package.this_process().replace(':', '-')}-abcd1234.partial"
    mine.write_bytes(b"in progress")
    assert package.sweep_leftovers(tmp_path) == 0
    assert mine.exists()
