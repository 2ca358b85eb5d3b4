"""The return-visit sample: which closed work orders get a return visit.

Work orders closed in a period are stratified by outlet and by local month of closing;
each stratum gets ceil(share x its size), counting what earlier drawings took. The
choice follows the rule in core/sampling.py, so anyone can redraw it from the
stored seed. Work orders are read as (id, outlet, month) rows, never as objects.
Functions take a session and values, flush, and leave the commit to the caller.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from aftersales.core.clock import DEFAULT_ZONE, utcnow
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import User
from aftersales.core.periods import local_period
from aftersales.core.permissions import Scope
from aftersales.core.sample_input import (
    DEFAULT_SHARE,
    checked_seed,
    checked_share,
)
from aftersales.core.sampling import StratumKey, choose, stratum_order, target_size
from aftersales.core.types import local_month
from aftersales.tickets import queries as ticket_queries
from aftersales.visits.models import ReturnVisit, VisitSample, VisitStratum

# ---------------------------------------------------------------- periods and months


def local_today() -> date:
    return utcnow().astimezone(DEFAULT_ZONE).date()


@dataclass
class _Stratum:
    population: int = 0
    already: int = 0
    candidates: list[int] = field(default_factory=list)


def _strata(
    session: Session, start: datetime, end: datetime, cutoff: datetime, before_sample: int | None
) -> dict[StratumKey, _Stratum]:
    """Work orders closed in [start, end) (and by `cutoff`), per outlet x month: how many,
    how many already sampled (before sample `before_sample`, or at all), the others' ids.
    One streamed query of (id, outlet, month, sample) tuples."""
    orders = ticket_queries.work_orders()
    stmt = (
        select(
            orders.c.id,
            orders.c.outlet_id,
            local_month(orders.c.closed_at),
            ReturnVisit.sample_batch_id,
        )
        .outerjoin(ReturnVisit, ReturnVisit.ticket_id == orders.c.id)
        .where(
            orders.c.state == "closed",
            orders.c.closed_at >= start,
            orders.c.closed_at < end,
            orders.c.closed_at <= cutoff,
        )
        .execution_options(yield_per=5000)
    )
    strata: dict[StratumKey, _Stratum] = {}
    for ticket_id, outlet_id, month, sample_id in session.execute(stmt):
        stratum = strata.setdefault((outlet_id, month), _Stratum())
        stratum.population += 1
        if sample_id is None or (before_sample is not None and sample_id >= before_sample):
            stratum.candidates.append(ticket_id)
        else:
            stratum.already += 1
    return strata


def _wanted(strata: Mapping[StratumKey, _Stratum], share: Decimal) -> dict[StratumKey, int]:
    return {
        key: max(0, target_size(share, s.population) - s.already) for key, s in strata.items()
    }


# ---------------------------------------------------------------- drawing


def check_draws_everywhere(scope: Scope) -> None:
    """The sample covers every outlet, so only an enterprise-wide grant may draw it."""
    if not scope.everywhere:
        raise PermissionDenied(_l("Only an enterprise-wide role may draw the sample."))


class NothingToDraw(Conflict):
    """Every stratum of the period has its share already (or the period is empty)."""


def draw_sample(
    session: Session,
    actor: User | None,
    first_day: date,
    last_day: date,
    share=DEFAULT_SHARE,
    seed: int | None = None,
    now: datetime | None = None,
) -> VisitSample:
    """Sample the work orders closed in the period, by outlet x month of closing: in each
    stratum ceil(share x its size), counting those an earlier drawing took, so that a
    second drawing over the same days adds nothing and an overlapping one only tops up.
    `now` is given only when replaying history (demo data)."""
    now = now or utcnow()
    if last_day > now.astimezone(DEFAULT_ZONE).date():
        raise ValidationFailed(_l("The period cannot end in the future."), field="to")
    start, end = local_period(first_day, last_day)
    share, seed = checked_share(share), checked_seed(seed)
    strata = _strata(session, start, end, now, before_sample=None)
    if not strata:
        raise NothingToDraw(_l("No work order was closed in this period."))
    chosen = choose({k: s.candidates for k, s in strata.items()}, _wanted(strata, share), seed)
    if not chosen:
        raise NothingToDraw(
            _l("Every outlet and month of this period has its sample already: nothing to add.")
        )
    sample = VisitSample(
        period_from=first_day, period_to=last_day, share=share, seed=seed, drawn_at=now,
        drawn_by_id=actor.id if actor else None,
        population=sum(s.population for s in strata.values()),
        sampled_count=sum(len(ids) for ids in chosen.values()),
    )
    session.add(sample)
    session.flush()
    for key in sorted(strata, key=stratum_order):
        stratum = strata[key]
        session.add(
            VisitStratum(
                sample_id=sample.id, outlet_id=key[0], month=key[1],
                population=stratum.population, already_sampled=stratum.already,
                target=target_size(share, stratum.population), drawn=len(chosen.get(key, ())),
            )
        )
    session.add_all(
        ReturnVisit(
            ticket_id=ticket_id, outlet_id=key[0], sample_batch_id=sample.id, sampled_at=now,
            state="due", attempts=0, comment="",
        )
        for key in sorted(chosen, key=stratum_order)
        for ticket_id in chosen[key]
    )
    session.flush()
    return sample


@dataclass(frozen=True)
class Redraw:
    matches: bool
    stored: int
    redrawn: int


def redraw(session: Session, sample: VisitSample) -> Redraw:
    """Draw `sample` again from its seed over the same closed work orders (those closed
    in its period by the time it was drawn, less those sampled before it): an auditor's
    check that the sample was drawn by the rule, not picked."""
    start, end = local_period(sample.period_from, sample.period_to)
    strata = _strata(session, start, end, sample.drawn_at, before_sample=sample.id)
    chosen = choose(
        {k: s.candidates for k, s in strata.items()}, _wanted(strata, sample.share), sample.seed
    )
    again = {ticket_id for ids in chosen.values() for ticket_id in ids}
    stored = set(
        session.scalars(
            select(ReturnVisit.ticket_id).where(ReturnVisit.sample_batch_id == sample.id)
        )
    )
    return Redraw(matches=again == stored, stored=len(stored), redrawn=len(again))


def get_sample(session: Session, sample_id: int) -> VisitSample:
    """The drawing with its strata."""
    sample = session.scalar(
        select(VisitSample)
        .where(VisitSample.id == sample_id)
        .options(selectinload(VisitSample.strata))
        .execution_options(populate_existing=True)
    )
    if sample is None:
        raise NotFound(_l("No such sample."))
    return sample


def recent_samples(session: Session, limit: int = 20) -> list[VisitSample]:
    return list(session.scalars(select(VisitSample).order_by(VisitSample.id.desc()).limit(limit)))
