"""The audit packages' settings, read once when the app starts (core/settings.py): where
finished packages are kept (outside the web root), the Ed25519 key that signs them
(PKCS#8 PEM; generated on first use when absent), with its password if it has one, and how
many processes draw a package's record sheets (one per core unless told)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aftersales.core.settings import optional_text, section, text, whole


@dataclass(frozen=True)
class EvidenceSettings:
    exports_dir: Path
    signing_key_file: Path
    signing_key_password: str | None
    sheet_workers: int


def _read(config: Mapping) -> EvidenceSettings:
    return EvidenceSettings(
        exports_dir=Path(text(config, "EVIDENCE_EXPORTS_DIR", "instance/evidence-exports")),
        signing_key_file=Path(text(config, "EVIDENCE_SIGNING_KEY_FILE",
                                   "instance/evidence-signing-key.pem")),
        signing_key_password=optional_text(config, "EVIDENCE_SIGNING_KEY_PASSWORD"),
        sheet_workers=whole(config, "EVIDENCE_SHEET_WORKERS", os.cpu_count() or 1, minimum=1,
                            maximum=64),
    )


current = section("evidence", _read)
