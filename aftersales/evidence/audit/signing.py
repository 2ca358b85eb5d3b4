"""The key that signs evidence packages: Ed25519, from the `cryptography` package.

The operator configures EVIDENCE_SIGNING_KEY_FILE (a PKCS#8 PEM private key, optionally
encrypted with EVIDENCE_SIGNING_KEY_PASSWORD) and publishes its fingerprint, so an
auditor can tell the company's packages from anyone else's. Without one configured, a
key is generated on first use under the instance folder (fine for the demo; the log
says so), written owner-only and atomically so two workers never end with two keys.

Once a package has been signed, a missing key is never silently replaced (that would
change the fingerprint the auditors hold): restore it from a backup, or rotate it on
purpose (`aftersales evidence rotate-key`), which keeps the old key beside the new one and
records the change in the audit trail.
"""

import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import audit
from aftersales.core.errors import Conflict
from aftersales.evidence import settings
from aftersales.evidence.audit.verify_package import fingerprint
from aftersales.evidence.models import PackageExport
from aftersales.extensions import db

log = logging.getLogger(__name__)


def _key_path() -> Path:
    return settings.current().signing_key_file


def _password() -> bytes | None:
    password = settings.current().signing_key_password
    return password.encode() if password else None


def _generate(path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_password()) if _password()
        else serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(partial, path)  # fails if another process made the key first: keep theirs
        log.warning("generated a new evidence signing key at %s; configure "
                    "EVIDENCE_SIGNING_KEY_FILE for production", path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def private_key() -> Ed25519PrivateKey:
    path = _key_path()
    if not path.exists():
        if _packages_signed(db.session):
            raise Conflict(_l("The signing key is missing, but packages were signed with it: "
                              "restore it from a backup, or rotate it on purpose with "
                              "`aftersales evidence rotate-key`."))
        _generate(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=_password())
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def _packages_signed(session: Session) -> bool:
    return session.scalar(select(PackageExport.id).where(PackageExport.status == "done")
                          .limit(1)) is not None


def rotate(session: Session) -> tuple[str | None, str]:
    """Replace the signing key on purpose: the old one is kept beside it (packages it
    signed still verify against its published fingerprint) and the change is an entry of
    the audit trail. Returns (old fingerprint or None, new fingerprint)."""
    path = _key_path()
    old = public_fingerprint() if path.exists() else None
    if old is not None:
        os.replace(path, path.with_name(f"{path.name}.retired-{old[:16]}"))
    _generate(path)
    new = public_fingerprint()
    audit.collect(session, [("evidence_signing_key", new[:16], "rotate",
                             {"fingerprint": old}, {"fingerprint": new})])
    return old, new


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_fingerprint() -> str:
    """The fingerprint to publish, so auditors can tell this company's packages."""
    return fingerprint(public_pem(private_key()))


def installed_fingerprint() -> str | None:
    """This installation's own key fingerprint, if it has a key (never makes one): the
    trusted key `aftersales evidence verify` falls back on."""
    return public_fingerprint() if _key_path().exists() else None
