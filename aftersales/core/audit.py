"""The tamper-evident audit trail.

Every flush that inserts, updates or deletes an Audited record collects its entries (an
after_flush hook), and they are written in the same transaction just before it commits (a
before_commit hook), so no service can forget to log a change and no change commits
without its entry. Each entry's SHA-256 covers the previous entry's hash; the commit locks
the single chain-head row last, so concurrent transactions queue there only while they
commit, always in the same lock order, and the chain never forks.
"""

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    String,
    Text,
    case,
    cast,
    event,
    func,
    insert,
    inspect,
    select,
    true,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from aftersales.core.clock import utcnow
from aftersales.core.models import AuditChainHead, Audited, AuditEntry
from aftersales.core.pagination import Page, keyset_page

GENESIS_HASH = "0" * 64
REDACTED = "***"


@dataclass(frozen=True)
class Actor:
    id: int | None
    label: str


SYSTEM = Actor(None, "system")
# The customer acting on the public portal (a fault report, a confirmation): no user.
PORTAL_CUSTOMER = Actor(None, "customer (portal)")
_current_actor: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)


def set_actor(actor: Actor) -> None:
    _current_actor.set(actor)


def current_actor() -> Actor:
    return _current_actor.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = _current_actor.set(actor)
    try:
        yield
    finally:
        _current_actor.reset(token)


def label_change(session: Session, record: Audited, action: str) -> None:
    """Name the next logged change of `record` (e.g. 'disable') instead of plain 'update'."""
    session.info.setdefault("audit_actions", {})[id(record)] = action


def canonical_json(value) -> str:
    return _CANONICAL.encode(value)


def _jsonable(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        # Files (signatures, scans) are recorded by digest: the entry proves which file it was.
        return f"sha256:{hashlib.sha256(value).hexdigest()}"
    raise TypeError(f"cannot record {type(value).__name__} in the audit trail")


# One encoder for every entry: json.dumps would build a new one per call.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable
)


def entry_hash(entry: dict) -> str:
    return _hash_of((
        entry["id"],
        entry["occurred_at"].isoformat(timespec="microseconds"),
        entry["actor_id"],
        entry["actor_label"],
        entry["record_type"],
        entry["record_id"],
        entry["action"],
        entry["before_json"],
        entry["after_json"],
        entry["prev_hash"],
    ))


def hash_input(fields: Sequence) -> bytes:
    """The bytes an entry's hash covers: its ten hashed fields, in order, as canonical JSON."""
    return _CANONICAL.encode(fields).encode()


def _hash_of(fields: Sequence) -> str:
    return hashlib.sha256(hash_input(fields)).hexdigest()


def redacted(model: type[Audited] | Audited, key: str, value):
    return REDACTED if key in model.__audit_redacted__ else value


Change = tuple[str, str, str, dict, dict]  # table, record id, action, before, after


def _snapshot(record: Audited) -> dict:
    state = inspect(record)
    return {
        attr.key: redacted(record, attr.key, getattr(record, attr.key))
        for attr in state.mapper.column_attrs
    }


def _changes(record: Audited) -> tuple[dict, dict]:
    before, after = {}, {}
    state = inspect(record)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        before[attr.key] = redacted(record, attr.key, old)
        after[attr.key] = redacted(record, attr.key, new)
    return before, after


def _record_id(record: Audited) -> str:
    # identity is not assigned yet inside after_flush; the primary key values are.
    return ",".join(str(part) for part in inspect(record).mapper.primary_key_from_instance(record))


def _pending_changes(session: Session) -> list[Change]:
    named = session.info.pop("audit_actions", {})
    changes = []
    for record in session.new:
        if isinstance(record, Audited):
            changes.append(change_of(record, named.get(id(record), "create"), {},
                                     _snapshot(record)))
    for record in session.dirty:
        if isinstance(record, Audited) and session.is_modified(record, include_collections=False):
            before, after = _changes(record)
            if after:
                changes.append(change_of(record, named.get(id(record), "update"), before, after))
    for record in session.deleted:
        if isinstance(record, Audited):
            changes.append(change_of(record, named.get(id(record), "delete"),
                                     _snapshot(record), {}))
    return changes


_PENDING = "audit_pending"  # session.info: entries collected, not chained yet
_SAVEPOINTS = "audit_savepoints"  # session.info: nested transaction -> entries before it


def change_of(record: Audited, action: str, before: dict, after: dict) -> Change:
    return record.__tablename__, _record_id(record), action, before, after


def collect(session: Session, changes: list[Change]) -> None:
    """Keep the entries of a flush or a statement until commit; nothing is locked yet."""
    actor = _current_actor.get()
    session.info.setdefault(_PENDING, []).extend(
        {"actor_id": actor.id, "actor_label": actor.label, "record_type": record_type,
         "record_id": record_id, "action": action, "before_json": canonical_json(before),
         "after_json": canonical_json(after)}
        for record_type, record_id, action, before, after in changes
    )


def _chain(session: Session) -> None:
    """Chain the transaction's entries, just before it commits. Locking the head row is
    the last lock a writer takes and is held only while its commit runs, so writers queue
    there briefly and always in the same order (their own rows first, the head last)."""
    session.flush()  # the changes not flushed yet are collected too
    entries = session.info.pop(_PENDING, [])
    session.info.pop(_SAVEPOINTS, None)
    if not entries:
        return
    connection = session.connection()
    last_seq, prev_hash = connection.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .values(last_seq=AuditChainHead.last_seq + len(entries))
        .returning(AuditChainHead.last_seq, AuditChainHead.last_hash)
    ).one()
    occurred_at = utcnow()
    rows = []
    for offset, entry in enumerate(entries):
        row = {**entry, "id": last_seq - len(entries) + 1 + offset,
               "occurred_at": occurred_at, "prev_hash": prev_hash}
        row["hash"] = prev_hash = entry_hash(row)
        rows.append(row)
    connection.execute(insert(AuditEntry), rows)
    connection.execute(
        update(AuditChainHead).where(AuditChainHead.id == 1).values(last_hash=prev_hash)
    )


def _after_flush(session: Session, _flush_context) -> None:
    changes = _pending_changes(session)
    if changes:
        collect(session, changes)


def _savepoint_started(session: Session, transaction) -> None:
    if transaction.nested:
        session.info.setdefault(_SAVEPOINTS, {})[id(transaction)] = len(
            session.info.get(_PENDING, []))


def _rolled_back(session: Session, previous_transaction) -> None:
    """A rolled-back savepoint drops the entries collected inside it; a rolled-back
    transaction drops them all."""
    if previous_transaction.nested:
        kept = session.info.get(_SAVEPOINTS, {}).pop(id(previous_transaction), None)
        if kept is not None:
            del session.info.get(_PENDING, [])[kept:]
        return
    session.info.pop(_PENDING, None)
    session.info.pop(_SAVEPOINTS, None)


def install(session_class: type[Session] = Session) -> None:
    for name, listener in (("after_flush", _after_flush), ("before_commit", _chain),
                           ("after_transaction_create", _savepoint_started),
                           ("after_soft_rollback", _rolled_back)):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.entry_id}: {self.reason}"


def _occurred_at_text(column, dialect_name: str):
    """The entry's time as the text that was hashed (isoformat, microseconds, UTC), made by
    the database: converting every row to a datetime and back costs more than the hash."""
    if dialect_name == "postgresql":
        return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" in UTC.
    return func.replace(type_coerce(column, String), " ", "T").concat("+00:00")


def hashed_rows(session: Session, last_id: int | None, batch_size: int):
    """Entries in id order as plain tuples: the ten hashed fields, then the stored hash."""
    columns = AuditEntry.__table__.c
    stmt = select(
        columns.id, _occurred_at_text(columns.occurred_at, session.get_bind().dialect.name),
        columns.actor_id, columns.actor_label, columns.record_type, columns.record_id,
        columns.action, columns.before_json, columns.after_json, columns.prev_hash,
        columns.hash,
    ).order_by(columns.id)
    if last_id is not None:
        stmt = stmt.where(columns.id <= last_id)
    return session.connection().execute(stmt.execution_options(yield_per=batch_size))


OUTSIDE_THE_CHAIN = "inserted outside the chain"
MISSING = "missing (deleted)"
NOT_FOLLOWING = "does not follow the previous entry"
ALTERED = "altered (hash mismatch)"


def _walk(session: Session, last_id: int | None, batch_size: int, chain_end: int | None = None
          ) -> tuple[int, ChainBreak | None, str | None]:
    """Walk entries 1..last_id (all when None) in id order: (entries checked, first break,
    hash of the last entry when unbroken). An entry past `chain_end` was inserted outside the
    chain. One entry's breaks, in precedence: outside the chain, missing, not following,
    altered. PostgreSQL checks every entry inside the database; SQLite has no sha256, so
    its rows are streamed here, `batch_size` at a time, and hashed in Python."""
    if session.get_bind().dialect.name == "postgresql":
        checked, broken, last_hash = _walk_in_database(session, last_id, chain_end)
    else:
        checked, broken, last_hash = _walk_in_python(session, last_id, batch_size, chain_end)
    if broken is None and last_id is not None and checked < last_id:
        broken = ChainBreak(checked + 1, MISSING)
    return checked, broken, last_hash


def _walk_in_python(session: Session, last_id: int | None, batch_size: int,
                    chain_end: int | None) -> tuple[int, ChainBreak | None, str]:
    expected_id, prev_hash, checked = 1, GENESIS_HASH, 0
    for row in hashed_rows(session, last_id, batch_size):
        *fields, stored_hash = row
        entry_id = fields[0]
        if chain_end is not None and entry_id > chain_end:
            return checked, ChainBreak(entry_id, OUTSIDE_THE_CHAIN), prev_hash
        if entry_id != expected_id:
            return checked, ChainBreak(expected_id, MISSING), prev_hash
        if fields[9] != prev_hash:
            return checked, ChainBreak(entry_id, NOT_FOLLOWING), prev_hash
        if _hash_of(fields) != stored_hash:
            return checked, ChainBreak(entry_id, ALTERED), prev_hash
        prev_hash, expected_id, checked = stored_hash, expected_id + 1, checked + 1
    return checked, None, prev_hash


def _walk_in_database(session: Session, last_id: int | None, chain_end: int | None
                      ) -> tuple[int, ChainBreak | None, str | None]:
    """One statement, so one snapshot as the Python walk's streamed SELECT has (entries
    committed meanwhile are not mistaken for inserted ones). The links are walked in id
    order; the hashes, which need no order, are recomputed apart, where PostgreSQL can
    spread them over parallel workers. Only the first link break, the last entry and the
    first altered id come back, so memory stays flat at millions of entries."""
    found = session.connection().execute(_first_breaks(last_id, chain_end)).one_or_none()
    if found is None:
        return 0, None, GENESIS_HASH
    if found.first_altered is not None and (
            found.reason is None or found.first_altered < found.id):
        # Every entry before it links, so ids run 1, 2, 3 ... up to it.
        return found.first_altered - 1, ChainBreak(found.first_altered, ALTERED), None
    if found.reason is None:
        # Nothing missing: ids run 1, 2, 3 ... so the last id is the number checked.
        return found.last_id, None, found.last_hash
    entry_id = found.position if found.reason == MISSING else found.id
    return found.position - 1, ChainBreak(entry_id, found.reason), None


def _canonical_text(columns):
    """hash_input's text, built by PostgreSQL. to_json writes a string as Python's json does
    with ensure_ascii=False: the same escapes, byte for byte, for every code point
    PostgreSQL text can hold. Numbers and the time need no escapes, nor does prev_hash: an
    entry whose prev_hash is not the previous entry's hash (hex, as that entry's digest)
    breaks the chain there first, whatever its digest. actor_id is the one nullable column.
    """
    return func.concat(
        "[", columns.id, ',"', _occurred_at_text(columns.occurred_at, "postgresql"), '",',
        func.coalesce(cast(columns.actor_id, Text), "null"),
        *(part for column in (columns.actor_label, columns.record_type, columns.record_id,
                              columns.action, columns.before_json, columns.after_json)
          for part in (",", func.to_json(column))),
        ',"', columns.prev_hash, '"]',
    )


def _first_breaks(last_id: int | None, chain_end: int | None):
    """Entries 1..last_id (all when None): the last one, the first in id order whose link
    breaks (with its position and reason) and the lowest id whose hash does not match.
    The first break is the first row the ordered walk filters out, so an intact chain is
    walked once with nothing to sort and a broken one only up to its break."""
    columns = AuditEntry.__table__.c
    in_range = [columns.id <= last_id] if last_id is not None else []
    digest = func.encode(func.sha256(func.convert_to(_canonical_text(columns), "UTF8")), "hex")
    # id + 0: min(id) alone would walk the primary key one row at a time, never in parallel.
    altered = select(func.min(columns.id + 0)).where(digest != columns.hash, *in_range)
    entries = select(columns.id, columns.prev_hash, columns.hash).where(*in_range).subquery()
    position = func.row_number().over(order_by=entries.c.id)
    previous_hash = func.coalesce(func.lag(entries.c.hash).over(order_by=entries.c.id),
                                  GENESIS_HASH)
    outside = [(entries.c.id > chain_end, OUTSIDE_THE_CHAIN)] if chain_end is not None else []
    reason = case(
        *outside,
        (entries.c.id != position, MISSING),
        (entries.c.prev_hash != previous_hash, NOT_FOLLOWING),
    )
    links = select(entries.c.id, position.label("position"), reason.label("reason")).subquery()
    first_break = select(links).where(links.c.reason.is_not(None)).order_by(
        links.c.id).limit(1).subquery()
    last = select(columns.id.label("last_id"), columns.hash.label("last_hash")).where(
        *in_range).order_by(columns.id.desc()).limit(1).subquery()
    return select(last, first_break, altered.scalar_subquery().label("first_altered")
                  ).select_from(last.outerjoin(first_break, true()))


def verify_chain(session: Session, batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in id order, streaming; return (entries checked, first break)."""
    head = session.get(AuditChainHead, 1)
    checked, broken, last_hash = _walk(session, None, batch_size, chain_end=head.last_seq)
    if broken is not None:
        return checked, broken
    if checked < head.last_seq:
        return checked, ChainBreak(checked + 1, MISSING)
    if last_hash != head.last_hash:
        return checked, ChainBreak(checked, "does not match the chain head")
    return checked, None


def verify_anchor(session: Session, seq: int, anchored_hash: str, batch_size: int = 2000
                  ) -> tuple[int, ChainBreak | None]:
    """Re-verify the chain from its first entry up to an anchored position (a frozen
    period's head, kept outside the database in its package): every entry up to it must
    still link and hash, and the last one must have the anchored hash, so a rewritten
    earlier entry is caught even if its own hash was recomputed."""
    checked, broken, last_hash = _walk(session, seq, batch_size)
    if broken is None and last_hash != (anchored_hash if seq else GENESIS_HASH):
        broken = ChainBreak(seq, "does not have the hash the package was frozen with")
    return checked, broken


def record_history(
    session: Session, record_type: str, record_id: str, cursor: str | None, limit: int
) -> Page:
    stmt = select(AuditEntry).where(
        AuditEntry.record_type == record_type, AuditEntry.record_id == record_id
    )
    return keyset_page(session, stmt, AuditEntry.id, cursor, limit)


def record_read(session: Session, record: Audited) -> None:
    """Who looked at whose full record, in the same trail as changes (a read of personal
    data is an act a privacy officer must be able to trace)."""
    collect(session, [change_of(record, "read", {}, {})])
