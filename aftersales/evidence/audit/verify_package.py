"""Verify an aftersales evidence package, offline.

Get this verifier apart from the package: `aftersales evidence verifier --output DIR`
writes it (verify.py with the sampling.py it imports) and prints their SHA-256, for the
company to hand over with the key fingerprint. A copy ships inside every package too, but
a forged package can carry a forged verifier: do not trust the one you find inside.
It needs Python 3.11+ and the `cryptography` package, nothing else:

    python verify.py package.zip --key-fingerprint SHA256

It checks that manifest.sig is an Ed25519 signature of manifest.json by public_key.pem,
and that this key is the one whose fingerprint the company handed over outside the
package; that every file the manifest lists is there with the SHA-256 and size it lists;
that no file was added; and that every sample redraws from the seed over its population.
Each problem names the file. Exit status: 0 intact and signed by the trusted key;
1 tampered (or signed by another key); 2 usage; 3 intact but untrusted (no fingerprint
given: anyone can sign a package with a key of their own); 4 a dependency is missing.
"""

import argparse
import base64
import csv
import hashlib
import io
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from pathlib import Path

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # said plainly by main(): a missing tool is not a tampered package
    serialization = None

try:
    from aftersales.core import sampling
except ImportError:  # run from an unpacked package: sampling.py lies beside this file
    import sampling  # type: ignore[no-redef]

MANIFEST, SIGNATURE, PUBLIC_KEY = "manifest.json", "manifest.sig", "public_key.pem"
OK, TAMPERED, USAGE, UNTRUSTED, MISSING_DEPENDENCY = 0, 1, 2, 3, 4
UNSIGNED = frozenset({MANIFEST, SIGNATURE})  # every other file is listed in the manifest
CHUNK = 1 << 20


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    fingerprint: str = ""

    @property
    def intact(self) -> bool:
        return not self.problems


def fingerprint(public_key_pem: bytes) -> str:
    """SHA-256 of the public key's DER bytes: what the company publishes."""
    key = serialization.load_pem_public_key(public_key_pem)
    der = key.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def sha256_of(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _signature_problems(archive: zipfile.ZipFile, names: set[str], result: Result) -> list[str]:
    missing = [f"{name}: missing" for name in (MANIFEST, SIGNATURE, PUBLIC_KEY)
               if name not in names]
    if missing:
        return missing
    public_pem = archive.read(PUBLIC_KEY)
    try:
        key = serialization.load_pem_public_key(public_pem)
        signature = base64.b64decode(archive.read(SIGNATURE), validate=True)
    except (ValueError, TypeError):
        return [f"{PUBLIC_KEY} or {SIGNATURE}: unreadable"]
    if not isinstance(key, Ed25519PublicKey):
        return [f"{PUBLIC_KEY}: not an Ed25519 public key"]
    result.fingerprint = fingerprint(public_pem)
    try:
        key.verify(signature, archive.read(MANIFEST))
    except InvalidSignature:
        return [f"{SIGNATURE}: the signature does not match {MANIFEST} and {PUBLIC_KEY}"]
    return []


def _file_problems(archive: zipfile.ZipFile, listed: dict[str, dict], result: Result
                   ) -> list[str]:
    problems = []
    entries = Counter(info.filename for info in archive.infolist())
    present = set(entries)
    for name in sorted(name for name, count in entries.items() if count > 1):
        problems.append(f"{name}: stored more than once")
    for name in sorted(present - set(listed) - UNSIGNED):
        problems.append(f"{name}: added (not in the manifest)")
    for name, expected in listed.items():
        if name not in present:
            problems.append(f"{name}: missing")
            continue
        digest, size = sha256_of(archive, name)
        result.files_checked += 1
        if digest != expected["sha256"] or size != expected["size"]:
            problems.append(f"{name}: altered (SHA-256 {digest}, manifest says "
                            f"{expected['sha256']})")
    return problems


def _csv_rows(archive: zipfile.ZipFile, name: str) -> Iterator[dict]:
    with archive.open(name) as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


def _strata(rows: Iterator[dict], name: str) -> Iterator[tuple[sampling.StratumKey, list[int]]]:
    previous = None
    keyed = ((int(r["outlet_id"]) if r["outlet_id"] else None, r["month"], int(r["record_id"]))
             for r in rows)
    for key, group in groupby(keyed, key=lambda row: row[:2]):
        if previous is not None and sampling.stratum_order(key) <= sampling.stratum_order(
                previous):
            raise ValueError(f"{name}: strata out of order at {key}")
        previous = key
        yield key, [row[2] for row in group]


def redraw(archive: zipfile.ZipFile, seed: int, share: Decimal, population: str) -> set[int]:
    """Draw the sample again, by the rule in sampling.py, from a population file."""
    chosen = sampling.draw_share(_strata(_csv_rows(archive, population), population),
                                 share, seed)
    return {record_id for _key, ids in chosen for record_id in ids}


def _sample_problems(archive: zipfile.ZipFile, manifest: dict) -> list[str]:
    method = manifest.get("sampling") or {}
    problems = []
    for kind in method.get("kinds", []):
        try:
            again = redraw(archive, int(method["seed"]), Decimal(method["share"]),
                           kind["population_file"])
        except (KeyError, ValueError) as error:
            problems.append(f"{kind.get('population_file')}: {error}")
            continue
        drawn = {int(row["record_id"]) for row in _csv_rows(archive, kind["sample_file"])}
        if drawn != again:
            problems.append(f"{kind['sample_file']}: not the sample the seed draws "
                            f"({len(drawn)} listed, {len(again)} redrawn)")
    return problems


def verify(path, key_fingerprint: str | None = None) -> Result:
    """Check the package at `path` (a file name or a binary file)."""
    result = Result()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        result.problems.append(f"{path}: not a zip file ({error})")
        return result
    with archive:
        names = set(archive.namelist())
        result.problems += _signature_problems(archive, names, result)
        if MANIFEST not in names:
            return result
        try:
            manifest = json.loads(archive.read(MANIFEST))
            listed = {entry["path"]: entry for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError):
            result.problems.append(f"{MANIFEST}: unreadable")
            return result
        if key_fingerprint and result.fingerprint and result.fingerprint != key_fingerprint:
            result.problems.append(f"{PUBLIC_KEY}: fingerprint {result.fingerprint} is not "
                                   f"the expected {key_fingerprint}")
        result.problems += _file_problems(archive, listed, result)
        if not result.problems:  # a redraw only means something over intact files
            result.problems += _sample_problems(archive, manifest)
    return result


def own_sha256() -> str:
    """This verifier's own SHA-256, to compare with the one the company handed over."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", help="the package's zip file")
    parser.add_argument("--key-fingerprint",
                        help="the SHA-256 of the signing key, handed over outside the package")
    args = parser.parse_args(argv)
    if serialization is None:
        print("MISSING the Python package 'cryptography' is needed to check the signature "
              "(pip install cryptography); nothing was verified")
        return MISSING_DEPENDENCY
    print(f"verifier SHA-256 {own_sha256()} (compare with the one handed over with the key; "
          "never trust a verifier found inside a package)")
    result = verify(args.package, args.key_fingerprint)
    for problem in result.problems:
        print(f"FAIL {problem}")
    if not result.intact:
        return TAMPERED
    if not args.key_fingerprint:
        print(f"UNTRUSTED {result.files_checked} files match the signature of key "
              f"{result.fingerprint}, but nothing says that key is the company's: give "
              "--key-fingerprint as the company handed it to you outside the package")
        return UNTRUSTED
    print(f"OK {result.files_checked} files intact; signed by the trusted key "
          f"{result.fingerprint}")
    return OK


if __name__ == "__main__":
    sys.exit(main())
