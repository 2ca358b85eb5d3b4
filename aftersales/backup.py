"""A backup a company can restore: the database, the file store and the evidence signing
key in one folder, with a manifest of every file's SHA-256.

- The database: `pg_dump --format=custom` on PostgreSQL, SQLite's online backup API on
  SQLite (both consistent while the application runs).
- The file store (every uploaded file, named by its SHA-256), copied as it is; the
  signing key, so packages made after a restore verify with the same
  fingerprint the auditors were given.

A restore goes into an empty database and an empty store only, and ends by checking what it
restored: every file against the manifest, every evidence file against the hash the
database keeps for it, and the audit chain, whose head must be the one backed up. Backups
made when evidence files had a folder of their own restore into the one store too (both
folders had the same layout).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

from flask import Flask
from sqlalchemy import inspect, make_url, select, text

from aftersales.core import audit
from aftersales.core.clock import utcnow
from aftersales.core.storage import FileStorage, files_dir
from aftersales.evidence import settings as evidence_settings
from aftersales.extensions import db

MANIFEST = "manifest.json"
FORMAT = 1
KEY_FILE = "signing-key.pem"


class BackupRefused(Exception):
    """Why a backup or restore was not made (nothing was changed)."""


@dataclass
class Restored:
    entries: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


STORE = "uploads"  # the store's folder in a backup: files/uploads/


def store_root(app: Flask) -> Path:
    """The file store's folder."""
    root = files_dir(app)
    if root is None:
        raise BackupRefused("files kept in memory (a test setting) cannot be backed up")
    return root


def key_path(app: Flask) -> Path:
    with app.app_context():
        return evidence_settings.current().signing_key_file


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- backing up


def backup(app: Flask, destination: Path) -> dict:
    """Write the backup into `destination` (a new or empty folder); return its manifest."""
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupRefused(f"{destination} is not empty")
    destination.mkdir(parents=True, exist_ok=True)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    database_file = _dump_database(url, destination)
    files = {database_file: sha256_of(destination / database_file)}
    files.update(_copy_tree(store_root(app), destination / "files" / STORE, f"files/{STORE}"))
    key = key_path(app)
    if key.exists():
        shutil.copy2(key, destination / KEY_FILE)
        os.chmod(destination / KEY_FILE, 0o600)
        files[KEY_FILE] = sha256_of(destination / KEY_FILE)
    head_seq, head_hash = db.session.execute(
        text("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")).one()
    manifest = {
        "format": FORMAT, "made_at": utcnow().isoformat(), "database": url.get_backend_name(),
        "database_file": database_file,
        "alembic_revision": db.session.scalar(text("SELECT version_num FROM alembic_version")),
        "audit_chain_head": {"seq": head_seq, "hash": head_hash},
        "signing_key": KEY_FILE if key.exists() else None, "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _dump_database(url, destination: Path) -> str:
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database), destination / "database.sqlite")
        return "database.sqlite"
    _postgres_tool("pg_dump", url, "--format=custom", "--no-owner",
                   f"--file={destination / 'database.dump'}")
    return "database.dump"


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while others write."""
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as copy:
        reading.backup(copy)


def _postgres_tool(name: str, url, *arguments: str) -> None:
    """Run pg_dump or pg_restore against `url`, the password in the environment (not on
    the command line, where `ps` would show it)."""
    found = shutil.which(name) or next(iter(sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version, reverse=True)), None)
    if found is None:
        raise BackupRefused(f"{name} is not installed (PostgreSQL client tools)")
    target = url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    run = subprocess.run([found, *arguments, f"--dbname={target}"], env=env,  # noqa: S603
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise BackupRefused(f"{name} failed: {run.stderr.strip()[:2000]}")


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in Path(path).parts[-3].split(".") if part.isdigit())


def _copy_tree(root: Path, target: Path, prefix: str) -> dict[str, str]:
    hashes = {}
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        if not path.is_file() or path.suffix in {".part", ".partial"}:
            continue  # a file still being written is not part of the store yet
        relative = path.relative_to(root)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)
        hashes[f"{prefix}/{relative.as_posix()}"] = sha256_of(target / relative)
    return hashes


# ---------------------------------------------------------------- restoring


def restore(app: Flask, source: Path) -> Restored:
    """Restore `source` into this installation's empty database and empty store, then
    check what was restored. Refuses (changing nothing) a damaged backup, a database
    with tables, a store with files, or a different signing key already in place."""
    source = Path(source)
    manifest = _checked_manifest(source)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != manifest["database"]:
        raise BackupRefused(f"the backup is of a {manifest['database']} database, this "
                            f"installation uses {url.get_backend_name()}")
    if inspect(db.engine).get_table_names():
        raise BackupRefused("the database is not empty: restore into a new one")
    root = store_root(app)
    if root.is_dir() and any(root.iterdir()):
        raise BackupRefused(f"the file store {root} is not empty")
    key = key_path(app)
    if manifest["signing_key"] and key.exists() and (
            sha256_of(key) != manifest["files"][KEY_FILE]):
        raise BackupRefused(f"another signing key is already at {key}")
    _load_database(url, source / manifest["database_file"])
    for folder in sorted((source / "files").iterdir()) if (source / "files").is_dir() else ():
        shutil.copytree(folder, root, dirs_exist_ok=True)
    if manifest["signing_key"] and not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / KEY_FILE, key)
        os.chmod(key, 0o600)
    return check_restored(app, manifest)


def _checked_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupRefused(f"no readable {MANIFEST} in {source}") from error
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"backup format {manifest.get('format')} is not {FORMAT}")
    damaged = [name for name, digest in manifest["files"].items()
               if not (source / name).is_file() or sha256_of(source / name) != digest]
    if damaged:
        raise BackupRefused("damaged or missing in the backup: " + ", ".join(damaged[:20]))
    return manifest


def _load_database(url, dump: Path) -> None:
    db.engine.dispose()  # nothing holds the empty database open while it is replaced
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(dump, Path(url.database))
        return
    _postgres_tool("pg_restore", url, "--no-owner", "--no-privileges", "--exit-on-error",
                   str(dump))


def check_restored(app: Flask, manifest: dict) -> Restored:
    """What a restore must show before anyone works on it: the chain intact up to the
    head backed up, every file as the manifest has it, every evidence file as the
    database has it."""
    from aftersales.evidence.models import DocumentVersion

    result = Restored()
    db.session.remove()
    checked, broken = audit.verify_chain(db.session)
    result.entries = checked
    if broken is not None:
        result.problems.append(f"audit chain: {broken}")
    head = manifest["audit_chain_head"]
    if checked != head["seq"]:
        result.problems.append(f"audit chain has {checked} entries, the backup {head['seq']}")
    store = FileStorage(store_root(app))
    for entry, digest in manifest["files"].items():
        if not entry.startswith("files/"):
            continue
        path = store.root / entry.split("/", 2)[2]  # files/<store folder>/<path in store>
        result.files += 1
        if not path.is_file() or sha256_of(path) != digest:
            result.problems.append(f"{entry}: missing or altered")
    for key, digest in db.session.execute(select(DocumentVersion.file_key,
                                                 DocumentVersion.sha256)):
        if not store.exists(key) or sha256_of(store.path(key)) != digest:
            result.problems.append(f"evidence file {key}: missing or altered")
    return result
