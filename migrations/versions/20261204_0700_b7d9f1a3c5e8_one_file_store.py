"""One content-addressed file store (UPLOAD_DIR) for every uploaded file.

- Complaint attachments leave the database: each row's bytes are written to the store
  under their SHA-256 (the `sha256` column the row keeps, checked against the bytes) and
  the `content` column is dropped. The downgrade reads them back into the column.
- Training files and outlet agreements were kept under random keys in the same folder:
  each is re-keyed to its SHA-256 (so two uploads of the same bytes share one file, and
  `training_files.storage_key` is no longer unique). The files under the old keys are
  left in place (a failed upgrade rolls back to them); remove them once checked.
- Managed documents, attestation evidence and meeting minutes were kept by SHA-256 in a
  folder of their own (EVIDENCE_FILES_DIR, default instance/evidence-files): they are
  copied into the store (the old folder is left as it was; remove it once checked).

The store is the one the app is configured with. With UPLOAD_DIR=":memory:" (the tests)
the bytes go to that app's in-memory store and live as long as the process: the upgrade
refuses to move complaint attachments there outside testing, where they would be lost.

Revision ID: b7d9f1a3c5e8
Revises: f6b8d0e2a4c6
Create Date: 2026-12-04 07:00:00

"""
import os
import secrets
import shutil
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

from aftersales.core.storage import FileStorage, storage_for


revision = 'b7d9f1a3c5e8'
down_revision = 'f6b8d0e2a4c6'
branch_labels = None
depends_on = None

attachments = sa.table("complaint_attachments", sa.column("id", sa.Integer),
                       sa.column("sha256", sa.String), sa.column("content", sa.LargeBinary))
training_files = sa.table("training_files", sa.column("id", sa.Integer),
                          sa.column("storage_key", sa.String))
outlets = sa.table("outlets", sa.column("id", sa.Integer),
                   sa.column("agreement_file_key", sa.String))
RANDOM_KEYED = ((training_files, "storage_key"), (outlets, "agreement_file_key"))


def _store():
    return storage_for(current_app._get_current_object())


def _old_evidence_dir(store) -> Path | None:
    configured = (current_app.config.get("EVIDENCE_FILES_DIR")
                  or os.environ.get("AFTERSALES_EVIDENCE_FILES_DIR")
                  or Path(current_app.instance_path) / "evidence-files")
    folder = Path(configured)
    if str(configured) == ":memory:" or folder.resolve() == store.root.resolve():
        return None
    return folder


def _random_keyed_path(store: FileStorage, key: str) -> Path:
    return store.root / key[:2] / key


def upgrade():
    bind = op.get_bind()
    store = _store()
    has_attachments = bind.execute(sa.select(attachments.c.id).limit(1)).first() is not None
    if has_attachments and not isinstance(store, FileStorage) and not current_app.testing:
        raise RuntimeError("UPLOAD_DIR is ':memory:': the complaint attachments would be lost."
                           " Set AFTERSALES_UPLOAD_DIR to the store's folder and upgrade again.")
    ids = bind.execute(sa.select(attachments.c.id).order_by(attachments.c.id)).scalars().all()
    for row_id in ids:  # one row's bytes in memory at a time
        digest, content = bind.execute(sa.select(attachments.c.sha256, attachments.c.content)
                                       .where(attachments.c.id == row_id)).one()
        if store.write(content) != digest:
            raise RuntimeError(f"complaint attachment {row_id}: its bytes do not match the "
                               f"SHA-256 the row keeps; nothing was changed")
    with op.batch_alter_table("complaint_attachments") as batch_op:
        batch_op.drop_column("content")

    with op.batch_alter_table("training_files") as batch_op:
        batch_op.drop_constraint("uq_training_files_storage_key", type_="unique")
    if not isinstance(store, FileStorage):
        return  # a fresh in-memory store holds no file written under an old key
    for table, column in RANDOM_KEYED:
        for row_id, old_key in bind.execute(sa.select(table.c.id, table.c[column])
                                            .where(sa.func.length(table.c[column]) == 32)):
            old_path = _random_keyed_path(store, old_key)
            if old_path.is_file():
                new_key = store.write(old_path.read_bytes())
                bind.execute(table.update().where(table.c.id == row_id)
                             .values({column: new_key}))
    old_evidence = _old_evidence_dir(store)
    if old_evidence is not None and old_evidence.is_dir():
        for path in old_evidence.glob("??/*"):
            if path.is_file() and not path.name.endswith(".part"):
                store.write(path.read_bytes())


def downgrade():
    bind = op.get_bind()
    store = _store()
    with op.batch_alter_table("complaint_attachments") as batch_op:
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
    for row_id, digest in bind.execute(sa.select(attachments.c.id, attachments.c.sha256)).all():
        bind.execute(attachments.update().where(attachments.c.id == row_id)
                     .values(content=store.read(digest)))
    with op.batch_alter_table("complaint_attachments") as batch_op:
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)

    if isinstance(store, FileStorage):
        for table, column in RANDOM_KEYED:
            for row_id, key in bind.execute(sa.select(table.c.id, table.c[column])
                                            .where(sa.func.length(table.c[column]) == 64)).all():
                random_key = secrets.token_hex(16)
                path = _random_keyed_path(store, random_key)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(store.read(key))
                bind.execute(table.update().where(table.c.id == row_id)
                             .values({column: random_key}))
        old_evidence = _old_evidence_dir(store)
        if old_evidence is not None:
            for path in store.root.glob("??/*"):
                if path.is_file() and len(path.name) == 64:
                    (old_evidence / path.parent.name).mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, old_evidence / path.parent.name / path.name)
    with op.batch_alter_table("training_files") as batch_op:
        batch_op.create_unique_constraint("uq_training_files_storage_key", ["storage_key"])
