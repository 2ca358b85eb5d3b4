"""The one file store: content-addressed (the key is the bytes' SHA-256), on disk or in
memory, chosen by UPLOAD_DIR and made once per app."""

import hashlib

import pytest

from aftersales import create_app
from aftersales.core.storage import FileStorage, MemoryStorage, storage, storage_for


@pytest.fixture(params=["files", "memory"])
def backend(request, tmp_path):
    return FileStorage(tmp_path / "store") if request.param == "files" else MemoryStorage()


def test_the_key_is_the_sha256_and_the_same_bytes_are_kept_once(backend):
    content = b"%PDF-1.4 once"
    key = backend.write(content)
    assert key == hashlib.sha256(content).hexdigest()
    assert backend.write(content) == key and backend.exists(key)
    assert backend.read(key) == content


def test_a_missing_or_malformed_key_reads_nothing(backend):
    missing = hashlib.sha256(b"never written").hexdigest()
    assert not backend.exists(missing)
    for key in (missing, "../../etc/passwd"):
        with pytest.raises(KeyError):
            backend.read(key)


def test_files_on_disk_are_sharded_and_leave_no_partial_file(tmp_path):
    store = FileStorage(tmp_path)
    key = store.write(b"on disk")
    assert store.path(key) == tmp_path / key[:2] / key
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]


def test_the_backend_follows_upload_dir_and_lives_in_the_app(app, tmp_path):
    assert isinstance(storage(), MemoryStorage) and storage() is app.extensions[
        "aftersales.storage"]
    on_disk = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                          "UPLOAD_DIR": str(tmp_path / "files")})
    backend = storage_for(on_disk)
    assert isinstance(backend, FileStorage) and backend.root == tmp_path / "files"
    assert storage_for(on_disk) is backend
