"""The stratified sampling rule, shared by the return-visit sample and the audit package.

Standard library only: the audit package ships this very file beside its verifier, so an
auditor redraws a sample offline with nothing but Python.

Strata are (outlet id or None, local month "YYYY-MM"). One random.Random(seed) is drawn
from across the strata in stratum_order (no outlet first, then outlets by id, months
ascending within each); in each stratum, random.sample(its ids sorted ascending, wanted).
"""

import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

StratumKey = tuple[int | None, str]


def stratum_order(key: StratumKey) -> tuple[bool, int, str]:
    outlet_id, month = key
    return (outlet_id is not None, outlet_id or 0, month)


def target_size(share: Decimal, population: int) -> int:
    """ceil(share x population), in exact decimal arithmetic (0.1 x 30 is 3, not 4)."""
    return math.ceil(Decimal(share) * population)


def draw(strata: Iterable[tuple[StratumKey, Sequence[int], int]], seed: int
         ) -> Iterator[tuple[StratumKey, list[int]]]:
    """strata: (key, candidate ids, how many wanted), already in stratum_order. Yields
    each stratum's chosen ids, ascending, one stratum at a time (so a caller can stream)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible by design: the seed is published)
    for key, ids, wanted in strata:
        count = min(wanted, len(ids))
        if count > 0:
            yield key, sorted(rng.sample(sorted(ids), count))


def choose(candidates: Mapping[StratumKey, Sequence[int]], wanted: Mapping[StratumKey, int],
           seed: int) -> dict[StratumKey, list[int]]:
    ordered = sorted(candidates, key=stratum_order)
    return dict(draw(((key, candidates[key], wanted.get(key, 0)) for key in ordered), seed))


def draw_share(strata: Iterable[tuple[StratumKey, Sequence[int]]], share: Decimal, seed: int
               ) -> Iterator[tuple[StratumKey, list[int]]]:
    """ceil(share x stratum size) from each stratum (given in stratum_order)."""
    return draw(((key, ids, target_size(share, len(ids))) for key, ids in strata), seed)
