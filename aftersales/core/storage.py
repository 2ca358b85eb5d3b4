"""Where uploaded files live: one content-addressed store for the whole application.

A file's key is the SHA-256 of its bytes, so the same bytes are kept once whoever uploads
them and a key proves what it names. Which backend: the app setting UPLOAD_DIR
(AFTERSALES_UPLOAD_DIR, default instance/uploads), a folder outside the web root, or
":memory:" for a store that lives as long as the app object (the tests). Only the services
that check who may read a file hand its bytes out.
"""

import hashlib
import os
import secrets
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

IN_MEMORY = ":memory:"
EXTENSION_KEY = "aftersales.storage"


class Storage(Protocol):
    def write(self, content: bytes) -> str:
        """Keep the bytes (once); their key."""

    def read(self, key: str) -> bytes:
        """The bytes under `key`; KeyError when there are none."""

    def exists(self, key: str) -> bool: ...


def key_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _checked(key: str) -> str:
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise KeyError(key)
    return key


class FileStorage:
    """Each file at root/<first two hex digits>/<key>, written whole or not at all."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    def write(self, content: bytes) -> str:
        key = key_of(content)
        path = self.path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{key}.{secrets.token_hex(4)}.part")
            partial.write_bytes(content)
            os.replace(partial, path)
        return key

    def read(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError as error:
            raise KeyError(key) from error

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except KeyError:
            return False


class MemoryStorage:
    def __init__(self):
        self.files: dict[str, bytes] = {}

    def write(self, content: bytes) -> str:
        key = key_of(content)
        self.files.setdefault(key, bytes(content))
        return key

    def read(self, key: str) -> bytes:
        return self.files[key]

    def exists(self, key: str) -> bool:
        return key in self.files


def files_dir(app: Flask) -> Path | None:
    """The store's folder, or None when files are kept in memory."""
    configured = app.config.get("UPLOAD_DIR") or str(Path(app.instance_path) / "uploads")
    return None if configured == IN_MEMORY else Path(configured)


def storage_for(app: Flask) -> Storage:
    """The app's store, made once per app and kept in app.extensions."""
    backend = app.extensions.get(EXTENSION_KEY)
    if backend is None:
        root = files_dir(app)
        backend = MemoryStorage() if root is None else FileStorage(root)
        app.extensions[EXTENSION_KEY] = backend
    return backend


def storage() -> Storage:
    return storage_for(current_app._get_current_object())
