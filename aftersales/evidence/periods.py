"""Audit periods: a manager freezes (from, to) for an audit. Freezing stores a snapshot
computed over exactly those days, the ids of every record behind every metric, the
population the package samples (with each record's outlet and month) and the audit
trail's chain head. All of it is written set-based (INSERT ... SELECT), so a year of a
large enterprise never passes through Python, and none of it changes afterwards: later
edits of the records change the live dashboard, not the frozen figures.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, insert, literal, select, union
from sqlalchemy.orm import Session

from aftersales.core.audit import Actor
from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.core.models import AuditChainHead
from aftersales.core.sample_input import DEFAULT_SHARE, checked_seed, checked_share
from aftersales.core.sampling import StratumKey
from aftersales.evidence import engine, registry
from aftersales.evidence.models import AuditPeriod, FrozenPopulation, FrozenRecord
from aftersales.evidence.registry import Measure, Period, Provider

MAX_PERIOD_DAYS = 3 * 366


def _check_days(first_day: date, last_day: date, today: date) -> None:
    if last_day < first_day:
        raise ValidationFailed(_l("The period ends before it starts."), field="to")
    if last_day > today:
        raise ValidationFailed(_l("The period cannot end in the future."), field="to")
    if (last_day - first_day).days >= MAX_PERIOD_DAYS:
        raise ValidationFailed(_l("Choose a period of at most three years."), field="from")


def freeze(session: Session, actor: Actor, first_day: date, last_day: date,
           share=DEFAULT_SHARE, seed: int | None = None,
           now: datetime | None = None) -> AuditPeriod:
    """Freeze the period. Flushes; the caller commits (one transaction: a failure
    leaves no half-frozen period)."""
    now = now or utcnow()
    _check_days(first_day, last_day, now.astimezone(DEFAULT_ZONE).date())
    share, seed = checked_share(share), checked_seed(seed)
    if find(session, first_day, last_day) is not None:
        raise Conflict(_l("This period is frozen already."))
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
    for key, (_provider, measure) in sorted(measures.items()):
        _freeze_records(session, frozen.id, key, measure)
    for kind in registry.sampled_kinds():
        _freeze_population(session, frozen.id, kind.record_type, kind.population(period))
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
    failing = (
        every.c.record_id.in_(_ids(measure.failing)) if measure.failing is not None else false()
    )
    session.execute(insert(FrozenRecord).from_select(
        ["period_id", "provider_key", "record_id", "failing"],
        select(literal(period_id), literal(key), every.c.record_id, failing),
    ))


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
