"""Audit periods: a manager freezes (from, to) for an audit. Freezing stores a snapshot
computed over exactly those days, the ids of every record behind every metric, the
population the package samples (with each record's outlet and month) and the audit
trail's chain head, set-based (INSERT ... SELECT). It also keeps what the package will
print, as it is at the freeze: each record's printed columns once (FrozenRow), each
metric's own figures per record (FrozenRecord.detail_json) and the data of each sampled
record's sheet (FrozenSheet), read in batches so memory stays flat; and seals it all with
one digest in the period's audit entry (seal.py). None of it changes afterwards: later
edits of the records change the live dashboard, not the frozen figures or the package,
which lists them apart as history.
"""

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import LargeBinary, Select, bindparam, false, insert, literal, select, union, update
from sqlalchemy.orm import Session

from aftersales.core import sampling
from aftersales.core.audit import Actor, label_change
from aftersales.core.clock import DEFAULT_ZONE, to_zone, utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.models import AuditChainHead
from aftersales.core.sample_input import DEFAULT_SHARE, checked_seed, checked_share
from aftersales.core.sampling import StratumKey
from aftersales.evidence.audit import seal
from aftersales.evidence.compliance import engine, registry
from aftersales.evidence.compliance.registry import Measure, Period, Provider
from aftersales.evidence.models import (
    AuditPeriod,
    FrozenPopulation,
    FrozenRecord,
    FrozenRow,
    FrozenSheet,
)
from aftersales.extensions import db

MAX_PERIOD_DAYS = 3 * 366
BATCH = 2000
SHEET_BATCH = 200  # sheets read at a time: a work order's sheet reads a dozen tables


def _check_days(first_day: date, last_day: date, today: date) -> None:
    if last_day < first_day:
        raise ValidationFailed(_l("The period ends before it starts."), field="to")
    if last_day > today:
        raise ValidationFailed(_l("The period cannot end in the future."), field="to")
    if (last_day - first_day).days >= MAX_PERIOD_DAYS:
        raise ValidationFailed(_l("Choose a period of at most three years."), field="from")


def check_freezable(session: Session, first_day: date, last_day: date, now: datetime) -> None:
    """The days make a period that can be frozen now, and it is not frozen yet."""
    _check_days(first_day, last_day, now.astimezone(DEFAULT_ZONE).date())
    if find(session, first_day, last_day) is not None:
        raise Conflict(_l("This period is frozen already."))


def freeze(session: Session, actor: Actor, first_day: date, last_day: date,
           share=DEFAULT_SHARE, seed: int | None = None,
           now: datetime | None = None) -> AuditPeriod:
    """Freeze the period. Flushes; the caller commits (one transaction: a failure
    leaves no half-frozen period)."""
    now = now or utcnow()
    check_freezable(session, first_day, last_day, now)
    share, seed = checked_share(share), checked_seed(seed)
    head = session.get(AuditChainHead, 1)
    chain_seq, chain_hash = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
    measures: dict[str, tuple[Provider, Measure]] = {}
    period = Period(first_day, last_day)
    snapshot = engine.compute(
        session, now, kind="frozen", period=period,
        on_measure=lambda key, provider, measure: measures.__setitem__(key, (provider, measure)),
    )
    frozen = AuditPeriod(
        first_day=first_day, last_day=last_day, snapshot_id=snapshot.id, chain_seq=chain_seq,
        chain_hash=chain_hash, sample_seed=seed, sample_share=share, frozen_at=now,
        frozen_by_id=actor.id, frozen_by_label=actor.label,
    )
    session.add(frozen)
    session.flush()
    from aftersales.evidence.audit import report  # reportlab: loaded when a period freezes

    layout: dict = {"kinds": {}, "metrics": {},
                    "report": report.live_sections(session, first_day, last_day)}
    for key, (_provider, measure) in sorted(measures.items()):
        _freeze_records(session, frozen.id, key, measure)
        if measure.detail is not None:
            layout["metrics"][key] = _freeze_detail(session, frozen.id, key, measure.detail)
    for record_type in sorted({provider.record_type for provider, _ in measures.values()}):
        layout["kinds"][record_type] = _freeze_rows(session, frozen.id, record_type)
    for kind in registry.sampled_kinds():
        _freeze_population(session, frozen.id, kind.record_type, kind.population(period))
        if kind.sheets_data is not None:
            _freeze_sheets(session, frozen, kind)
    frozen.layout_json = json.dumps(layout, ensure_ascii=False)
    frozen.content_sha256 = seal.digest(session, frozen.id)
    label_change(session, frozen, "seal")
    session.flush()
    return frozen


def _ids(stmt) -> select:
    """A provider's SELECT of ids, unordered and unlimited, as a one-column SELECT."""
    inner = stmt.order_by(None).limit(None).subquery()
    return select(list(inner.c)[0].label("record_id"))


def _freeze_records(session: Session, period_id: int, key: str, measure: Measure) -> None:
    selects = [_ids(s) for s in (measure.records, measure.failing) if s is not None]
    if not selects:
        return
    every = union(*selects).subquery()
    if measure.failing is None:
        rows = select(literal(period_id), literal(key), every.c.record_id, false())
    else:
        # Joined, not `IN (...)` in the select list: PostgreSQL checks such an IN by
        # scanning the failing ids again for every record once they outgrow work_mem
        # (300k failing work orders in a year: minutes instead of a second).
        failing = _ids(measure.failing).distinct().subquery()
        rows = select(literal(period_id), literal(key), every.c.record_id,
                      failing.c.record_id.is_not(None)).select_from(
            every.outerjoin(failing, failing.c.record_id == every.c.record_id))
    session.execute(insert(FrozenRecord).from_select(
        ["period_id", "provider_key", "record_id", "failing"], rows))


def frozen_value(value):
    """A value as the package prints it, ready for JSON: times in Beijing time to the
    second, days and decimals as text."""
    if isinstance(value, datetime):
        return to_zone(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def printed_rows(record_type: str, ids: Select) -> tuple[list[str], Select]:
    """The columns the package prints for a kind of record, and a SELECT of the record id
    and those columns for the ids given (a kind that is not a table row says its own)."""
    kind = registry.kind_of(record_type)
    if kind.rows is not None:
        stmt = kind.rows(ids)
        return [column.name for column in list(stmt.selected_columns)[1:]], stmt
    table = db.metadata.tables[record_type]
    columns = [c for c in table.columns if c.name != "id" and c.name not in kind.hidden
               and not isinstance(c.type, LargeBinary)]
    return [c.name for c in columns], select(table.c.id, *columns).where(table.c.id.in_(ids))


def batches(stmt: Select, session: Session) -> Iterator[list]:
    """The rows of a SELECT whose first column is a record id, by keyset on that id."""
    inner = stmt.subquery()
    first = list(inner.c)[0]
    last = None
    while True:
        page = select(inner).order_by(first).limit(BATCH)
        if last is not None:
            page = page.where(first > last)
        rows = session.execute(page).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _frozen_ids(period_id: int, record_type: str) -> Select:
    keys = [key for key, provider in registry.registered().items()
            if provider.record_type == record_type]
    return select(FrozenRecord.record_id).where(
        FrozenRecord.period_id == period_id, FrozenRecord.provider_key.in_(keys))


def _id_batches(session: Session, ids: Select) -> Iterator[list[int]]:
    """The ids a SELECT gives, ascending, BATCH at a time. Read once: a period's ids of one
    kind fit in memory (their rows do not), and each batch's rows are then fetched by their
    ids, instead of the query behind the ids running again for every batch."""
    found = sorted(set(session.scalars(ids)))
    for start in range(0, len(found), BATCH):
        yield found[start:start + BATCH]


def _freeze_rows(session: Session, period_id: int, record_type: str) -> list[str]:
    columns, _stmt = printed_rows(record_type, [])
    for ids in _id_batches(session, _frozen_ids(period_id, record_type)):
        rows = session.execute(printed_rows(record_type, ids)[1]).all()
        session.execute(insert(FrozenRow), [
            {"period_id": period_id, "record_type": record_type, "record_id": row[0],
             "values_json": _dumps(row[1:])}
            for row in sorted(rows, key=lambda row: row[0])
        ])
    return columns


def _freeze_detail(session: Session, period_id: int, key: str, detail: Select) -> list[str]:
    """The metric's own figures for each of its frozen records."""
    columns = [column.name for column in list(detail.selected_columns)[1:]]
    inner = detail.order_by(None).subquery()
    first = list(inner.c)[0]
    # A plain executemany on the connection: the ORM's bulk UPDATE by primary key first
    # SELECTs every batch's rows to keep the session in step, and no frozen record is loaded.
    table = FrozenRecord.__table__
    by_key = update(table).where(
        table.c.period_id == bindparam("key_period"), table.c.provider_key == bindparam("key"),
        table.c.record_id == bindparam("key_record")).values(detail_json=bindparam("detail"))
    connection = session.connection()
    frozen = select(FrozenRecord.record_id).where(FrozenRecord.period_id == period_id,
                                                  FrozenRecord.provider_key == key)
    for ids in _id_batches(session, frozen):
        rows = session.execute(select(inner).where(first.in_(ids))).all()
        if rows:
            connection.execute(by_key, [
                {"key_period": period_id, "key": key, "key_record": row[0],
                 "detail": _dumps(row[1:])}
                for row in sorted(rows, key=lambda row: row[0])
            ])
    return columns


def _dumps(values) -> str:
    return json.dumps([frozen_value(value) for value in values], ensure_ascii=False)


def sample_of(session: Session, frozen: AuditPeriod, record_type: str) -> set[int]:
    """The records the period's seed draws from the frozen population of a kind."""
    chosen: set[int] = set()
    for _key, ids in sampling.draw_share(strata(session, frozen.id, record_type),
                                         frozen.sample_share, frozen.sample_seed):
        chosen.update(ids)
    return chosen


def _freeze_sheets(session: Session, frozen: AuditPeriod, kind) -> None:
    """The data of every sampled record's sheet, as the sheet prints it now: the sample in
    ascending batches, each read with one query per table and written with one INSERT
    (each row reaches the audit trail through core/audit_statements.py)."""
    sample = sorted(sample_of(session, frozen, kind.record_type))
    for start in range(0, len(sample), SHEET_BATCH):
        found = kind.sheets_data(session, sample[start:start + SHEET_BATCH])
        if found:
            session.execute(insert(FrozenSheet), [
                {"period_id": frozen.id, "record_type": kind.record_type,
                 "record_id": record_id,
                 "data_json": json.dumps(found[record_id], ensure_ascii=False)}
                for record_id in sorted(found)
            ])


def _freeze_population(session: Session, period_id: int, record_type: str, stmt) -> None:
    inner = stmt.subquery()
    record_id, outlet_id, month = list(inner.c)[:3]
    session.execute(insert(FrozenPopulation).from_select(
        ["period_id", "record_type", "record_id", "outlet_id", "month"],
        select(literal(period_id), literal(record_type), record_id, outlet_id, month),
    ))


def find(session: Session, first_day: date, last_day: date) -> AuditPeriod | None:
    return session.scalar(select(AuditPeriod).where(
        AuditPeriod.first_day == first_day, AuditPeriod.last_day == last_day
    ))


def get(session: Session, period_id: int) -> AuditPeriod:
    period = session.get(AuditPeriod, period_id)
    if period is None:
        raise NotFound(_l("No such audit period."))
    return period


def recent(session: Session, limit: int = 50) -> list[AuditPeriod]:
    return list(session.scalars(
        select(AuditPeriod).order_by(AuditPeriod.last_day.desc(), AuditPeriod.id.desc())
        .limit(limit)
    ))


def frozen_ids(session: Session, period_id: int, key: str):
    """The frozen record ids of one metric, ascending, streamed."""
    return session.scalars(
        select(FrozenRecord.record_id)
        .where(FrozenRecord.period_id == period_id, FrozenRecord.provider_key == key)
        .order_by(FrozenRecord.record_id)
        .execution_options(yield_per=5000)
    )


def strata(session: Session, period_id: int, record_type: str
           ) -> Iterator[tuple[StratumKey, list[int]]]:
    """The frozen population of one kind, one stratum at a time, in the sampling rule's
    order (no outlet first, outlets ascending, months ascending; ids ascending)."""
    rows = session.execute(
        select(FrozenPopulation.outlet_id, FrozenPopulation.month, FrozenPopulation.record_id)
        .where(FrozenPopulation.period_id == period_id,
               FrozenPopulation.record_type == record_type)
        .order_by(FrozenPopulation.outlet_id.asc().nulls_first(), FrozenPopulation.month,
                  FrozenPopulation.record_id)
        .execution_options(yield_per=5000)
    )
    for key, group in groupby(rows, key=lambda row: (row[0], row[1])):
        yield key, [row[2] for row in group]


def last_year(today: date) -> tuple[date, date]:
    """The default a form offers: the 12 months ending yesterday."""
    return today - timedelta(days=365), today - timedelta(days=1)
