"""The audit evidence package of a frozen period: one zip, ordered by clause.

    00-README.txt                  what is inside and how to verify it (Chinese and English)
    01-report.pdf                  the bilingual report (report.py)
    clauses/<number>/summary.json  the clause's frozen figures and checks
    clauses/<number>/<metric>.csv  every record behind the metric
    clauses/<number>/documents/    the managed documents in force on the last day
    clauses/<number>/samples.csv   which of its records were sampled, and their sheets
    samples/<kind>/<kind>-<id>.pdf the sampled record sheets (one file, however many
                                   clauses a record serves)
    sampling/<kind>-population.csv the frozen population, in the rule's stratum order
    sampling/<kind>-sample.csv     the sample drawn from it with the period's seed
    verify.py, sampling.py         the offline verifier and the sampling rule it redraws with
    public_key.pem                 the signing key's public half
    manifest.json, manifest.sig    SHA-256 and size of every other file; Ed25519 signature

Everything is streamed: records are read in batches and written as they are read, each
file is hashed while it is written, and sheets are rendered one at a time, so memory
stays flat however long the period. The zip is written beside its destination under a
temporary name and renamed into place only when complete, so an interrupted export
never leaves a package where a finished one would be.
"""

import base64
import csv
import hashlib
import io
import json
import multiprocessing
import os
import re
import secrets
import shutil
import socket
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from aftersales.core import sampling, spreadsheet
from aftersales.core.clock import to_zone, utcnow
from aftersales.core.models import AuditEntry
from aftersales.core.storage import storage
from aftersales.evidence import settings as evidence_settings
from aftersales.evidence.audit import periods, seal
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance import engine, registry
from aftersales.evidence.models import (
    AuditPeriod,
    DocumentVersion,
    FrozenRecord,
    FrozenRow,
    FrozenSheet,
)
from aftersales.extensions import db

if TYPE_CHECKING:
    from aftersales.evidence.audit.report import ReportFacts

FORMAT = "aftersales-evidence-package/1"
BATCH = 2000
SHEET_BATCH = 100  # sheets' data read at once: each carries its images


class Cancelled(Exception):
    """The export was cancelled while it ran."""


Progress = Callable[[int, int], None]  # (steps done, steps in all); raises Cancelled


class _HashingWriter(io.RawIOBase):
    """A zip entry that hashes and counts what is written to it."""

    def __init__(self, target) -> None:
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class PackageWriter:
    """Adds files to the zip, keeping each one's SHA-256 and size for the manifest."""

    def __init__(self, archive) -> None:
        self.archive, self.files = archive, []

    @contextmanager
    def binary(self, name: str) -> Iterator[_HashingWriter]:
        with self.archive.open(name, "w", force_zip64=True) as entry:
            writer = _HashingWriter(entry)
            yield writer
        self.files.append({"path": name, "sha256": writer.digest.hexdigest(),
                           "size": writer.size})

    @contextmanager
    def text(self, name: str, encoding: str = "utf-8") -> Iterator[io.TextIOWrapper]:
        with self.binary(name) as raw:
            wrapper = io.TextIOWrapper(raw, encoding=encoding, newline="")
            yield wrapper
            wrapper.flush()
            wrapper.detach()

    def add(self, name: str, content: bytes) -> None:
        with self.binary(name) as writer:
            writer.write(content)

    def add_file(self, name: str, path: Path) -> None:
        with self.binary(name) as writer, open(path, "rb") as source:
            while chunk := source.read(1 << 20):
                writer.write(chunk)


# ---------------------------------------------------------------- record tables


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_zone(value).isoformat(timespec="seconds")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return spreadsheet.csv_text(str(value))


def _layout(frozen: AuditPeriod) -> dict:
    return json.loads(frozen.layout_json or "{}")


def _frozen_record_rows(session: Session, frozen: AuditPeriod, key: str, record_type: str):
    """Every frozen record of one metric as it was at the freeze: the record's printed
    columns and the metric's own figures for it."""
    layout = _layout(frozen)
    kind_columns = layout["kinds"].get(record_type, [])
    detail_columns = layout["metrics"].get(key, [])
    stmt = (
        select(FrozenRecord.record_id, FrozenRecord.failing, FrozenRow.values_json,
               FrozenRecord.detail_json)
        .join_from(FrozenRecord, FrozenRow, and_(
            FrozenRow.period_id == FrozenRecord.period_id,
            FrozenRow.record_type == record_type,
            FrozenRow.record_id == FrozenRecord.record_id), isouter=True)
        .where(FrozenRecord.period_id == frozen.id, FrozenRecord.provider_key == key)
        .order_by(FrozenRecord.record_id)
        .execution_options(yield_per=BATCH)
    )

    def rows():
        for record_id, failing, values, detail in session.execute(stmt):
            yield [record_id, failing, *_padded(values, kind_columns),
                   *_padded(detail, detail_columns)]

    return ["record_id", "fails_the_metric", *kind_columns, *detail_columns], rows()


def _padded(values_json: str | None, columns: list[str]) -> list:
    """A frozen JSON row; blanks where nothing was frozen (a record gone before the freeze)."""
    return json.loads(values_json) if values_json else [None] * len(columns)


def _live_record_rows(session: Session, frozen: AuditPeriod, key: str, record_type: str):
    """A period frozen before records were kept with their content: its records as they
    are now (its README says so)."""
    ids = select(FrozenRecord.record_id).where(FrozenRecord.period_id == frozen.id,
                                               FrozenRecord.provider_key == key)
    columns, printed = periods.printed_rows(record_type, ids)
    live = printed.subquery()
    stmt = (
        select(FrozenRecord.record_id, FrozenRecord.failing, *list(live.c)[1:])
        .join_from(FrozenRecord, live, list(live.c)[0] == FrozenRecord.record_id, isouter=True)
        .where(FrozenRecord.period_id == frozen.id, FrozenRecord.provider_key == key)
        .order_by(FrozenRecord.record_id)
        .execution_options(yield_per=BATCH)
    )
    return ["record_id", "fails_the_metric", *columns], (list(row) for row in session.execute(stmt))


def _write_records(session: Session, out: PackageWriter, folder: str, frozen: AuditPeriod,
                   key: str, record_type: str) -> None:
    """One metric's records as CSV, from one streamed query. No XLSX beside it: Excel opens
    the CSV (UTF-8 with a BOM, formulas defused), which has every row past Excel's limit,
    and a workbook cost a third of the export's time."""
    read = _frozen_record_rows if _layout(frozen) else _live_record_rows
    header, rows = read(session, frozen, key, record_type)
    with out.text(f"{folder}/{key}.csv", encoding="utf-8-sig") as handle:  # BOM: Excel reads UTF-8
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_value(value) for value in row])


# ---------------------------------------------------------------- sampling


@dataclass
class KindSample:
    kind: registry.RecordKind
    population: int
    strata: int
    chosen: set[int]

    @property
    def population_file(self) -> str:
        return f"sampling/{self.kind.record_type}-population.csv"

    @property
    def sample_file(self) -> str:
        return f"sampling/{self.kind.record_type}-sample.csv"

    def sheet_path(self, record_id: int) -> str:
        name = self.kind.record_type
        return f"samples/{name}/{name}-{record_id}.pdf"


def _population_strata(session, frozen, kind, handle) -> Iterator:
    """The frozen strata of a kind, written to the population file as they stream by."""
    writer = csv.writer(handle)
    writer.writerow(["record_id", "outlet_id", "month"])
    for key, ids in periods.strata(session, frozen.id, kind.record_type):
        writer.writerows([record_id, "" if key[0] is None else key[0], key[1]] for record_id in ids)
        yield key, ids


def _draw(session: Session, out: PackageWriter, frozen: AuditPeriod,
          kind: registry.RecordKind) -> KindSample:
    sample = KindSample(kind, 0, 0, set())
    with out.text(sample.population_file) as handle:
        for _key, ids in sampling.draw_share(
            _counted(_population_strata(session, frozen, kind, handle), sample),
            frozen.sample_share, frozen.sample_seed,
        ):
            sample.chosen.update(ids)
    with out.text(sample.sample_file) as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "sheet"])
        writer.writerows([record_id, sample.sheet_path(record_id)]
                         for record_id in sorted(sample.chosen))
    return sample


def _counted(strata, sample: KindSample) -> Iterator:
    for key, ids in strata:
        sample.population += len(ids)
        sample.strata += 1
        yield key, ids


# ---------------------------------------------------------------- clauses


def _summary(clause, row, catalog) -> dict:
    detail = json.loads(row.detail_json)
    return {
        "number": clause.number, "text_zh": clause.zh, "summary_en": clause.en,
        "group": clause.group, "evidence": clause.evidence, "status": row.status,
        "applicable": row.applicable, "points": str(row.points), "obtained": str(row.obtained),
        "evidence_count": row.evidence_count, "na_reason": detail.get("na_reason", ""),
        "checks": [
            {k: v for k, v in check.items() if k not in ("failing_ids", "sample_ids")}
            | ({"attestations": [{k: v for k, v in a.items() if k != "evidence_file_key"}
                                 for a in check["attestations"]]}
               if check["type"] == "attestation" else {})
            | ({"metric_zh": catalog.providers[check["key"]].name.zh,
                "metric_en": catalog.providers[check["key"]].name.en,
                "records_file": f"{check['key']}.csv"} if check["type"] == "metric" else {})
            for check in detail.get("checks", [])
        ],
    }


def _document_versions(session: Session, checks: list[dict]) -> list[DocumentVersion]:
    ids = [version["version_id"] for check in checks if check["type"] == "document"
           for version in check["in_force"]]
    if not ids:
        return []
    return list(session.scalars(
        select(DocumentVersion).where(DocumentVersion.id.in_(ids)).order_by(DocumentVersion.id)
    ))


def _safe_name(name: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name)[-120:]


def _write_clause(session: Session, out: PackageWriter, frozen: AuditPeriod, clause, row,
                  catalog, samples: dict[str, KindSample]) -> None:
    folder = f"clauses/{clause.number}"
    summary = _summary(clause, row, catalog)
    out.add(f"{folder}/summary.json",
            json.dumps(summary, ensure_ascii=False, indent=2, default=str).encode())
    providers = registry.registered()
    metrics = [c for c in summary["checks"] if c["type"] == "metric" and c["key"] in providers]
    for check in metrics:
        _write_records(session, out, folder, frozen, check["key"],
                       providers[check["key"]].record_type)
    files = storage()
    checks = json.loads(row.detail_json).get("checks", [])
    for version in _document_versions(session, checks):
        out.add(f"{folder}/documents/{version.id}-v{_safe_name(version.version)}-"
                f"{_safe_name(version.filename)}", files.read(version.file_key))
    for signed in (a for check in checks if check["type"] == "attestation"
                   for a in check["attestations"] if a.get("evidence_file_key")):
        out.add(f"{folder}/attestations/{signed['id']}-{_safe_name(signed['evidence_file'])}",
                files.read(signed["evidence_file_key"]))
    sampled = [(c["key"], samples[providers[c["key"]].record_type]) for c in metrics
               if providers[c["key"]].record_type in samples]
    if sampled:
        with out.text(f"{folder}/samples.csv") as handle:
            writer = csv.writer(handle)
            writer.writerow(["metric", "record_id", "sheet"])
            for key, sample in sampled:
                writer.writerows(
                    [key, record_id, sample.sheet_path(record_id)]
                    for record_id in periods.frozen_ids(session, frozen.id, key)
                    if record_id in sample.chosen
                )


# ---------------------------------------------------------------- the package


def _readme(frozen: AuditPeriod, fingerprint: str) -> bytes:
    return f"""售后服务认证审核证据包 / After-sales service certification: audit evidence package
GB/T 27922

审核期间 Period: {frozen.first_day} – {frozen.last_day}
冻结时间 Frozen at: {to_zone(frozen.frozen_at):%Y-%m-%d %H:%M} (Asia/Shanghai)
冻结人 Frozen by: {frozen.frozen_by_label}
审计链头 Audit chain head: #{frozen.chain_seq} {frozen.chain_hash}
签名密钥指纹 Signing key fingerprint (SHA-256): {fingerprint}

校验方法 How to verify (offline; Python 3.11+ with the cryptography package):
    python verify.py <package>.zip --key-fingerprint <指纹 fingerprint>
请使用企业在证据包之外单独提供的 verify.py（aftersales evidence verifier 导出），并使用企业
以证据包之外的途径（盖章函件、电话）提供的公钥指纹：包内的 verify.py 和上面的指纹都在包内，
伪造的证据包可以一并伪造它们。未给出可信指纹时，核验程序不会判定通过（退出码 3）。
Use the verify.py the company hands you apart from the package (`aftersales evidence
verifier` writes it) and the key fingerprint it hands you outside the package (a stamped
letter, a phone call): the verify.py inside and the fingerprint above travel with the
package and a forged package forges them too. Without a trusted fingerprint the verifier
does not say OK (exit 3). It checks the Ed25519 signature of manifest.json, the SHA-256 of
every file, that no file was added, and redraws every sample from its seed.

01-report.pdf    报告 The report: score, level, clauses, gaps, deductions, the rubric applied,
                 the statements behind attested points, sampling method
clauses/         按条款 One folder per clause: summary.json, records (CSV), documents,
                 attestations' evidence
samples/         抽样记录单 Sampled record sheets (PDF)
sampling/        抽样总体与样本 Populations and samples, redrawable from the seed
history/         冻结后的变更 Changes to the records since the freeze, listed apart
{_content_note(frozen)}""".encode()


def _content_note(frozen: AuditPeriod) -> str:
    if _layout(frozen):
        return ("记录文件和抽样记录单为冻结时的内容；此后的修改只列在 history/ 中。\n"
                "Record files and sampled sheets show the records as they were at the freeze; "
                "later edits appear only under history/.\n")
    return ("本期冻结于保存记录内容之前：记录文件和抽样记录单为导出时的内容。\n"
            "This period was frozen before record content was kept with it: its record files "
            "and sheets show the records as they were at the export.\n")


def build(session: Session, frozen: AuditPeriod, destination: Path, generated_by: str,
          progress: Progress = lambda done, total: None) -> tuple[str, int]:
    """Write the package to `destination` atomically; return its SHA-256 and size."""
    seal.check(session, frozen)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(destination.parent)
    mark = f".{destination.name}.{_process_mark()}-{secrets.token_hex(4)}"
    partial = destination.with_name(f"{mark}.partial")
    try:
        _write(session, frozen, partial, generated_by, progress)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(destination, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# A build's files in progress carry the builder's host and pid, so a later build can
# tell whose builder died (a SIGKILL leaves them behind) and remove them.
LEFTOVER = re.compile(r"^\..+\.(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)-[0-9a-f]+"
                      r"(?:\.partial|-.*\.scratch)$")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", socket.gethostname())


def _process_mark() -> str:
    return f"{_host()}-{os.getpid()}"


def this_process() -> str:
    """Who builds an export: "host:pid"."""
    return f"{_host()}:{os.getpid()}"


def process_gone(builder: str) -> bool:
    """Whether a builder ("host:pid") on this host is dead; one elsewhere is not known."""
    host, _sep, pid = builder.rpartition(":")
    return host == _host() and pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def sweep_leftovers(directory: Path) -> int:
    """Remove the partial packages and scratch folders of dead builds on this host."""
    removed = 0
    for entry in directory.glob(".*") if directory.is_dir() else ():
        found = LEFTOVER.match(entry.name)
        if found is None or found["host"] != _host() or _alive(int(found["pid"])):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


def _write(session, frozen, path: Path, generated_by: str, progress: Progress) -> None:
    # reportlab and cryptography: loaded when a package is built, not when the app starts
    from aftersales.evidence.audit import report, signing, verify_package

    key = signing.private_key()
    public_pem = signing.public_pem(key)
    fingerprint = signing.fingerprint(public_pem)
    catalog = catalog_module.load()
    rows = {row.clause_number: row for row in engine.snapshot_clauses(session, frozen.snapshot)}
    clauses = [c for c in catalog.clauses if c.number in rows]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        out = PackageWriter(archive)
        out.add("00-README.txt", _readme(frozen, fingerprint))
        samples = {kind.record_type: _draw(session, out, frozen, kind)
                   for kind in registry.sampled_kinds()}
        sheets = sum(len(sample.chosen) for sample in samples.values() if sample.kind.sheet_pdf)
        total, done = len(clauses) + sheets + 1, 0
        progress(done, total)
        with out.binary("01-report.pdf") as handle:
            report.render(session, frozen.snapshot,
                          _facts(session, frozen, samples, generated_by, fingerprint), handle)
        done += 1
        for clause in clauses:
            _write_clause(session, out, frozen, clause, rows[clause.number], catalog, samples)
            done += 1
            progress(done, total)
        with sheet_drawer(evidence_settings.current().sheet_workers) as draw:
            for sample in samples.values():
                if not sample.kind.sheet_pdf:
                    continue
                for record_id, content in _sheets(session, frozen, sample.kind,
                                                  sorted(sample.chosen), draw):
                    if content is not None:  # None: no such record at the freeze
                        out.add(sample.sheet_path(record_id), content)
                    done += 1
                    if done % 10 == 0 or done == total:
                        progress(done, total)
        _write_history(session, out, frozen)
        out.add("verify.py", Path(verify_package.__file__).read_bytes())
        out.add("sampling.py", Path(sampling.__file__).read_bytes())
        out.add("public_key.pem", public_pem)
        manifest = json.dumps(_manifest(frozen, samples, generated_by, fingerprint, out.files),
                              ensure_ascii=False, indent=1).encode()
        archive.writestr("manifest.json", manifest)
        archive.writestr("manifest.sig", base64.b64encode(key.sign(manifest)))


def _sheets(session: Session, frozen: AuditPeriod, kind: registry.RecordKind,
            record_ids: list[int], draw: "SheetDrawer") -> Iterator[tuple[int, bytes | None]]:
    """The sampled records' sheets in record order (memory holds one chunk of data and its
    PDFs). From the data frozen with the period, read a chunk at a time (the same bytes at
    every export); a period frozen before sheets were kept renders each record as it is."""
    if not _layout(frozen):
        for record_id in record_ids:
            data = kind.sheet_data(session, record_id)
            yield record_id, None if data is None else kind.sheet_pdf(data)
        return
    for start in range(0, len(record_ids), SHEET_BATCH):
        chunk = record_ids[start:start + SHEET_BATCH]
        found = dict(session.execute(select(FrozenSheet.record_id, FrozenSheet.data_json).where(
            FrozenSheet.period_id == frozen.id, FrozenSheet.record_type == kind.record_type,
            FrozenSheet.record_id.in_(chunk))).all())
        present = [record_id for record_id in chunk if record_id in found]
        drawn = dict(zip(present, draw(kind.sheet_pdf, [found[i] for i in present]),
                         strict=True))
        for record_id in chunk:
            yield record_id, drawn.get(record_id)


SheetDrawer = Callable[[Callable[[dict], bytes], list[str]], list[bytes]]


def _draw_one(render: Callable[[dict], bytes], data_json: str) -> bytes:
    return render(json.loads(data_json))


@contextmanager
def sheet_drawer(workers: int) -> Iterator[SheetDrawer]:
    """Draws sheets from their frozen JSON, in order: here, or spread over `workers`
    processes (the CPU of an export is drawing sheets; a sheet is a pure function of its
    data, so the bytes are the same however many draw them). Spawned, not forked: a
    worker shares no database connection or lock with the exporter."""
    if workers <= 1:
        yield lambda render, datas: [_draw_one(render, data) for data in datas]
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield lambda render, datas: list(pool.map(
            _draw_one, repeat(render), datas, chunksize=max(1, len(datas) // (workers * 4))))


# ---------------------------------------------------------------- history since the freeze

HISTORY_README = """记录冻结后的变更 / Changes to the records since the period was frozen

本目录之外的记录文件与抽样记录单均为冻结时的内容，不因之后的修改而变化。
Every record file and sampled sheet outside this folder shows the records as they were when
the period was frozen ({frozen_at}); later edits do not change them. This folder lists, per
kind of record, what has changed since:
  <kind>-changes.csv  record_id, column, value at the freeze, value now ("(deleted)": gone)
  <kind>-trail.csv    the audit-trail entries written for those records after the freeze
                      (entry number, time, who, action), to check against the chain
"""


def _write_history(session: Session, out: PackageWriter, frozen: AuditPeriod) -> None:
    kinds = _layout(frozen).get("kinds", {})
    if not kinds:
        return
    out.add("history/00-README.txt",
            HISTORY_README.format(frozen_at=to_zone(frozen.frozen_at).isoformat()).encode())
    for record_type, columns in kinds.items():
        changed: list[int] = []
        with out.text(f"history/{record_type}-changes.csv", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "column", "at_freeze", "now"])
            for record_id, differences in _changes(session, frozen, record_type, columns):
                changed.append(record_id)
                writer.writerows(spreadsheet.csv_row([record_id, *difference])
                                for difference in differences)
        with out.text(f"history/{record_type}-trail.csv", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["entry", "occurred_at", "actor", "record_id", "action"])
            for start in range(0, len(changed), BATCH):
                writer.writerows(_trail(session, frozen, record_type,
                                        changed[start:start + BATCH]))


def _changes(session: Session, frozen: AuditPeriod, record_type: str, columns: list[str]):
    """(record id, [(column, at the freeze, now), ...]) of each frozen record that differs
    from what the package would print now, in batches of ids. Compared column by column
    name: a column added since the freeze was not frozen (not a change of the record); one
    dropped since shows as removed."""
    rows = select(FrozenRow.record_id, FrozenRow.values_json).where(
        FrozenRow.period_id == frozen.id, FrozenRow.record_type == record_type)
    for batch in periods.batches(rows, session):
        ids = [record_id for record_id, _ in batch]
        live_columns, live = periods.printed_rows(record_type, select(FrozenRow.record_id).where(
            FrozenRow.period_id == frozen.id, FrozenRow.record_type == record_type,
            FrozenRow.record_id.in_(ids)))
        now = {row[0]: dict(zip(live_columns, (periods.frozen_value(value) for value in row[1:]),
                                strict=True))
               for row in session.execute(live)}
        for record_id, values_json in batch:
            then = json.loads(values_json)
            if record_id not in now:
                yield record_id, [("(deleted)", _csv_value(then), "")]
                continue
            differences = [
                (column, _csv_value(old), _csv_value(now[record_id].get(column, COLUMN_GONE)))
                for column, old in zip(columns, then, strict=True)
                if now[record_id].get(column, COLUMN_GONE) != old
            ]
            if differences:
                yield record_id, differences


COLUMN_GONE = "(column removed)"


def _trail(session: Session, frozen: AuditPeriod, record_type: str, ids: list[int]):
    if record_type not in db.metadata.tables:
        return []  # not rows of a table (cities): nothing of theirs is in the trail
    return [
        [entry.id, _csv_value(entry.occurred_at), _csv_value(entry.actor_label), entry.record_id,
         entry.action]
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == record_type,
                                     AuditEntry.record_id.in_([str(i) for i in ids]),
                                     AuditEntry.id > frozen.chain_seq)
            .order_by(AuditEntry.id))
    ]


def _facts(session, frozen, samples, generated_by, fingerprint) -> "ReportFacts":
    from aftersales.evidence.audit import report

    # A period frozen before freezes kept the report's sections reads them live.
    sections = _layout(frozen).get("report") or report.live_sections(
        session, frozen.first_day, frozen.last_day)
    return report.ReportFacts(
        first_day=frozen.first_day, last_day=frozen.last_day, frozen_at=frozen.frozen_at,
        frozen_by=frozen.frozen_by_label, chain_seq=frozen.chain_seq,
        chain_hash=frozen.chain_hash, seed=frozen.sample_seed, share=frozen.sample_share,
        samples=[report.SampleFacts(s.kind.record_type, s.kind.label_zh, s.kind.label_en,
                                    s.population, len(s.chosen), s.strata)
                 for s in samples.values()],
        generated_at=utcnow(), generated_by=generated_by, public_key_sha256=fingerprint,
        sections=sections,
    )


def _manifest(frozen, samples, generated_by, fingerprint, files) -> dict:
    return {
        "format": FORMAT,
        "standard": "GB/T 27922",
        "period": {"first_day": frozen.first_day.isoformat(),
                   "last_day": frozen.last_day.isoformat(), "id": frozen.id,
                   "frozen_at": frozen.frozen_at.isoformat(), "frozen_by": frozen.frozen_by_label,
                   "score": str(frozen.snapshot.score), "level": frozen.snapshot.level,
                   "seal_sha256": frozen.content_sha256},
        "audit_chain_head": {"seq": frozen.chain_seq, "hash": frozen.chain_hash},
        "generated_at": utcnow().isoformat(), "generated_by": generated_by,
        "public_key_sha256": fingerprint,
        "sampling": {
            "seed": frozen.sample_seed, "share": str(frozen.sample_share),
            "rule": "sampling.py: draw_share over the population file's strata",
            "kinds": [{"record_type": s.kind.record_type, "population_file": s.population_file,
                       "sample_file": s.sample_file, "population": s.population,
                       "sampled": len(s.chosen)} for s in samples.values()],
        },
        "files": files,
    }


def default_name(frozen: AuditPeriod, suffix: str = "") -> str:
    suffix = f"-{suffix}" if suffix else ""
    return f"evidence-{frozen.first_day:%Y%m%d}-{frozen.last_day:%Y%m%d}{suffix}.zip"

