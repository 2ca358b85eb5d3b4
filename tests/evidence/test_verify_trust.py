"""Trust is anchored outside the package: the verifier says OK only for a key whose
fingerprint was handed over apart from it, is published apart from it, says plainly when
it cannot run, and the audit trail is re-verified up to the anchored position."""

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from aftersales.core.audit import entry_hash
from aftersales.core.models import AuditEntry
from aftersales.evidence.audit import verify_package
from aftersales.extensions import db
from tests.evidence.package_factories import build, freeze, rewrite, tickets_in_two_outlets


@pytest.fixture
def built(app, tmp_path):
    tickets_in_two_outlets(4)
    return build(freeze(), tmp_path)


def resigned(source, destination):
    """The package re-signed, manifest and all, with a forger's own key."""
    forger = Ed25519PrivateKey.generate()
    public = forger.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    listed = next(entry for entry in manifest["files"] if entry["path"] == "public_key.pem")
    listed.update(sha256=hashlib.sha256(public).hexdigest(), size=len(public))
    signed = json.dumps(manifest).encode()

    def swap(name, content):
        return {"public_key.pem": public, "manifest.json": signed,
                "manifest.sig": base64.b64encode(forger.sign(signed))}.get(name, content)

    return rewrite(source, destination, swap), verify_package.fingerprint(public)


def test_a_package_resigned_with_another_key_fails_verify_unless_that_key_is_given(
        app, built, tmp_path):
    forged, forger = resigned(built, tmp_path / "forged.zip")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["evidence", "verify", str(forged)])  # the installation's key
    assert refused.exit_code == verify_package.TAMPERED and "FAIL public_key.pem" in refused.output
    accepted = runner.invoke(args=["evidence", "verify", str(forged), "--key-fingerprint",
                                   forger])
    assert accepted.exit_code == verify_package.OK


def test_without_a_trusted_fingerprint_the_verifier_does_not_say_ok(built, capsys):
    assert verify_package.main([str(built)]) == verify_package.UNTRUSTED
    output = capsys.readouterr().out
    assert "UNTRUSTED" in output and "\nOK" not in output


def test_without_cryptography_it_says_what_is_missing_and_not_tampered(built, tmp_path):
    verify = tmp_path / "verify.py"
    verify.write_bytes(Path(verify_package.__file__).read_bytes())
    (tmp_path / "sampling.py").write_bytes(Path(verify_package.sampling.__file__).read_bytes())
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-S", str(verify), str(built)],  # noqa: S603
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == verify_package.MISSING_DEPENDENCY != verify_package.TAMPERED
    assert "cryptography" in run.stdout and "pip install" in run.stdout


def test_the_verifier_is_published_apart_from_any_package(app, built, tmp_path):
    out = tmp_path / "published"
    result = app.test_cli_runner().invoke(args=["evidence", "verifier", "--output", str(out)])
    assert result.exit_code == 0 and "SHA-256" in result.output
    key = verify_package.verify(built).fingerprint
    run = subprocess.run([sys.executable, str(out / "verify.py"), str(built),  # noqa: S603
                          "--key-fingerprint", key], cwd=out, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert verify_package.own_sha256() in run.stdout


def test_check_anchor_catches_an_earlier_entry_rewritten_with_its_hash_recomputed(
        app, built):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["evidence", "check-anchor", str(built)]).exit_code == 0
    earlier = db.session.get(AuditEntry, 2)
    forged = {column.name: getattr(earlier, column.name)
              for column in AuditEntry.__table__.columns}
    forged["after_json"] = json.dumps({"description": "改写过的历史"})
    db.session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(
        after_json=forged["after_json"], hash=entry_hash(forged)))
    db.session.commit()
    refused = runner.invoke(args=["evidence", "check-anchor", str(built)])
    assert refused.exit_code == 1 and "audit entry" in refused.output
