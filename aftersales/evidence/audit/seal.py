"""The seal of a frozen period: one SHA-256 over everything frozen with it (the records
behind each metric with their verdicts and figures, the printed rows, the sheets' data, the
population sampled), each table's rows in key order. The freeze writes it on the period, so
it is in the period's audit entry: the chain proves the seal and the seal proves the frozen
rows, without an entry per row (a year at one enterprise's size freezes millions of rows,
whose entries a single transaction would have to hold in memory until it commits).

An export recomputes the seal first and refuses a period whose frozen rows no longer match.
"""

import hashlib

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core.audit import canonical_json
from aftersales.core.errors import Conflict
from aftersales.evidence.models import (
    AuditPeriod,
    FrozenPopulation,
    FrozenRecord,
    FrozenRow,
    FrozenSheet,
)

# What the seal covers: the columns written at the freeze, named, so a column added later
# (filled after the freeze) does not change the seal of periods frozen before it.
SEALED = (
    (FrozenRecord, ("provider_key", "record_id", "failing", "detail_json")),
    (FrozenRow, ("record_type", "record_id", "values_json")),
    (FrozenSheet, ("record_type", "record_id", "data_json")),
    (FrozenPopulation, ("record_type", "record_id", "outlet_id", "month")),
)
STREAMED = 5000  # rows fetched at a time: memory stays flat however long the period


def digest(session: Session, period_id: int) -> str:
    """The seal of what is frozen with the period now."""
    seal = hashlib.sha256()
    for model, names in SEALED:
        table = model.__table__
        rows = session.execute(
            select(*(table.c[name] for name in names))
            .where(table.c.period_id == period_id)
            .order_by(*table.primary_key.columns)
            .execution_options(yield_per=STREAMED))
        for row in rows:
            seal.update(canonical_json([table.name, *row]).encode())
            seal.update(b"\n")
    return seal.hexdigest()


class SealBroken(Conflict):
    pass


def check(session: Session, frozen: AuditPeriod) -> None:
    """Refuse a period whose frozen rows differ from its seal (one frozen before seals has
    an audit entry per frozen row instead)."""
    if frozen.content_sha256 is not None and digest(session, frozen.id) != frozen.content_sha256:
        raise SealBroken(_l("What was frozen with this period has been altered since the "
                            "freeze: it no longer matches the seal in its audit entry."))
