"""A backup a company can restore: an installation with records, evidence files, a
complaint attachment and a signed package is backed up, restored into a fresh database and
empty folders, and the restored installation verifies its chain, serves the stored files
and signs packages with the same key fingerprint. A signing key is never silently replaced."""

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text

from aftersales import backup, create_app
from aftersales.complaints import services as complaint_services
from aftersales.complaints.models import ComplaintAttachment
from aftersales.core.errors import Conflict
from aftersales.core.models import User
from aftersales.evidence.audit import exports, package, signing
from aftersales.evidence.audit.verify_package import verify
from aftersales.evidence.models import AuditPeriod
from aftersales.extensions import db
from tests.complaints.factories import make_complaint
from tests.evidence.factories import PDF, make_document
from tests.evidence.package_factories import MANAGER, freeze, tickets_in_two_outlets
from tests.factories import bearer, make_token, make_user

LETTER = b"%PDF-1.4 a complaint letter, kept in the file store"


def installation(app, root: Path, database_url: str):
    """An app like the suite's, but keeping its files on disk under `root`."""
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": app.config["SECRET_KEY"],
        "TESTING": True, "UPLOAD_DIR": str(root / "uploads"),
        "EVIDENCE_EXPORTS_DIR": str(root / "exports"),
        "EVIDENCE_SIGNING_KEY_FILE": str(root / "keys" / "signing.pem"),
    })


@pytest.fixture
def fresh_database_url(app, tmp_path):
    """An empty database of the suite's kind, dropped afterwards."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"{url.database}_restored"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _working_installation(source_app) -> dict:
    """Records, an evidence document on disk, a signed package: what a backup must keep."""
    manager = make_user("manager", username="backup_manager")
    _document, version = make_document(actor=manager)
    letter = complaint_services.attach(db.session, make_complaint(commit=False), None,
                                       "letter.pdf", LETTER)
    tickets_in_two_outlets(4)
    frozen = freeze()
    export = exports.request_export(db.session, MANAGER, frozen, status="running")
    db.session.commit()
    exports.build(db.session, export)
    return {"version_id": version.id, "period_id": frozen.id, "letter_id": letter.id,
            "fingerprint": signing.public_fingerprint()}


def test_a_backup_restores_into_a_fresh_installation_that_verifies(
        app, tmp_path, fresh_database_url):
    source_app = installation(app, tmp_path / "source", app.config["SQLALCHEMY_DATABASE_URI"])
    with source_app.app_context():
        made = _working_installation(source_app)
        manifest = backup.backup(source_app, tmp_path / "backup")
        db.engine.dispose()
    assert manifest["signing_key"] and manifest["audit_chain_head"]["seq"] > 0

    target_app = installation(app, tmp_path / "target", fresh_database_url)
    with target_app.app_context():
        restored = backup.restore(target_app, tmp_path / "backup")
        assert restored.problems == []
        assert restored.entries == manifest["audit_chain_head"]["seq"]
        headers = bearer(make_token(db.session.scalar(
            select(User).where(User.username == "backup_manager"))))
        served = target_app.test_client().get(
            f"/api/v1/evidence/document-versions/{made['version_id']}/file", headers=headers)
        assert served.status_code == 200 and served.data == PDF
        letter = db.session.get(ComplaintAttachment, made["letter_id"])
        assert f"files/uploads/{letter.sha256[:2]}/{letter.sha256}" in manifest["files"]
        assert complaint_services.attachment_content(letter) == LETTER
        built = package.build(db.session, db.session.get(AuditPeriod, made["period_id"]),
                              tmp_path / "after-restore.zip", "tester")
        assert built
        result = verify(tmp_path / "after-restore.zip", key_fingerprint=made["fingerprint"])
        assert result.intact, result.problems
        db.session.remove()
        db.engine.dispose()


def test_a_restore_refuses_a_database_that_is_not_empty(app, tmp_path):
    source_app = installation(app, tmp_path / "source", app.config["SQLALCHEMY_DATABASE_URI"])
    with source_app.app_context():
        backup.backup(source_app, tmp_path / "backup")
        with pytest.raises(backup.BackupRefused, match="not empty"):
            backup.restore(source_app, tmp_path / "backup")
        db.engine.dispose()


def test_a_damaged_backup_is_refused_before_anything_is_changed(app, tmp_path,
                                                                 fresh_database_url):
    source_app = installation(app, tmp_path / "source", app.config["SQLALCHEMY_DATABASE_URI"])
    with source_app.app_context():
        manifest = backup.backup(source_app, tmp_path / "backup")
        db.engine.dispose()
    damaged = tmp_path / "backup" / manifest["database_file"]
    damaged.write_bytes(damaged.read_bytes()[:-10])
    target_app = installation(app, tmp_path / "target", fresh_database_url)
    with target_app.app_context():
        with pytest.raises(backup.BackupRefused, match="damaged"):
            backup.restore(target_app, tmp_path / "backup")
        assert db.inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_a_missing_signing_key_is_not_replaced_once_packages_were_signed(app, tmp_path):
    source_app = installation(app, tmp_path / "source", app.config["SQLALCHEMY_DATABASE_URI"])
    with source_app.app_context():
        made = _working_installation(source_app)
        key = Path(source_app.config["EVIDENCE_SIGNING_KEY_FILE"])
        os.remove(key)
        with pytest.raises(Conflict, match="rotate-key"):
            signing.private_key()
        assert not key.exists()
        old, new = signing.rotate(db.session)
        db.session.commit()
        assert old is None and new != made["fingerprint"]
        rotations = db.session.execute(text(
            "SELECT after_json FROM audit_entries WHERE record_type = 'evidence_signing_key'"
        )).scalars().all()
        assert len(rotations) == 1 and new in rotations[0]
        db.engine.dispose()
