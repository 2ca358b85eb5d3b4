"""The migration to one file store, on an installation that keeps its files on disk: the
complaint attachments leave the database for the folder, files kept under random keys are
re-keyed by their SHA-256, evidence files come over from their own folder, and the
downgrade gives everything back."""

import hashlib
import secrets

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from aftersales import create_app
from aftersales.extensions import db
from tests.complaints.factories import make_complaint

BEFORE = "f6b8d0e2a4c6"
LETTER = b"%PDF-1.4 a complaint letter"
SCAN = b"\x89PNG\r\n\x1a\n a certificate scan"
MANUAL = b"%PDF-1.4 the service manual"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_an_installation_on_disk_moves_every_file_into_the_one_store(app, tmp_path):
    uploads, evidence = tmp_path / "uploads", tmp_path / "evidence-files"
    disk_app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'disk.db'}",
        "SECRET_KEY": "test", "TESTING": True, "UPLOAD_DIR": str(uploads),
        "EVIDENCE_FILES_DIR": str(evidence),
    })
    random_key = secrets.token_hex(16)
    with disk_app.app_context():
        upgrade()
        complaint_id = make_complaint().id
        db.session.remove()
        downgrade(revision=BEFORE)
        db.session.execute(text(
            "INSERT INTO complaint_attachments (complaint_id, filename, media_type, size_bytes,"
            " sha256, content, uploaded_at) VALUES (:c, 'letter.pdf', 'application/pdf', :n,"
            " :digest, :content, CURRENT_TIMESTAMP)"),
            {"c": complaint_id, "n": len(LETTER), "digest": sha256(LETTER), "content": LETTER})
        db.session.execute(text(
            "INSERT INTO training_files (purpose, storage_key, original_name, content_type,"
            " size_bytes, sha256, uploaded_at) VALUES ('certificate_scan', :key, 'scan.png',"
            " 'image/png', :n, :digest, CURRENT_TIMESTAMP)"),
            {"key": random_key, "n": len(SCAN), "digest": sha256(SCAN)})
        db.session.commit()
        (uploads / random_key[:2]).mkdir(parents=True)
        (uploads / random_key[:2] / random_key).write_bytes(SCAN)
        (evidence / sha256(MANUAL)[:2]).mkdir(parents=True)
        (evidence / sha256(MANUAL)[:2] / sha256(MANUAL)).write_bytes(MANUAL)
        db.session.remove()

        upgrade()
        for content in (LETTER, SCAN, MANUAL):
            assert (uploads / sha256(content)[:2] / sha256(content)).read_bytes() == content
        assert db.session.execute(
            text("SELECT storage_key FROM training_files")).scalar_one() == sha256(SCAN)
        db.session.remove()

        downgrade(revision=BEFORE)
        assert bytes(db.session.execute(
            text("SELECT content FROM complaint_attachments")).scalar_one()) == LETTER
        key = db.session.execute(text("SELECT storage_key FROM training_files")).scalar_one()
        assert len(key) == 32 and (uploads / key[:2] / key).read_bytes() == SCAN
        db.session.remove()
        db.engine.dispose()
