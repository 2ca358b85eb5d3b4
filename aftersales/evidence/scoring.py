"""The standard's arithmetic, free of the database: a clause's share of its points from
its checks, the score, and the projected level (reference/STANDARD.md)."""

from dataclasses import dataclass

# score threshold -> level; a level also needs fewer than MAX_DEDUCTIONS special deductions
LEVELS = ((95.0, "five_star"), (90.0, "four_star"), (80.0, "three_star"), (70.0, "compliant"))
MAX_DEDUCTIONS = 5
DEDUCTION_POINTS = 1.0
BONUS_POINTS = 1.0  # the special bonus: at most one counts


@dataclass(frozen=True)
class ClauseOutcome:
    status: str  # met, partly_met, not_met, no_data
    fraction: float  # share of the clause's points obtained


def clause_outcome(fractions: list[float | None]) -> ClauseOutcome:
    """fractions: one per check; None is a check without data in the period (left out),
    so a clause whose checks all lack data obtains nothing and shows no data.
    A check's fraction is 1 or 0 (qualitative), or for a record sample the share of the
    sampled records that pass (points lost in proportion)."""
    known = [value for value in fractions if value is not None]
    if not known:
        return ClauseOutcome("no_data", 0.0)
    fraction = sum(known) / len(known)
    if fraction >= 1.0:
        return ClauseOutcome("met", 1.0)
    if fraction <= 0.0:
        return ClauseOutcome("not_met", 0.0)
    return ClauseOutcome("partly_met", fraction)


@dataclass(frozen=True)
class Score:
    obtained: float
    applicable: float
    deductions: int
    bonus: int
    score: float
    level: str | None


def level_of(score: float, deductions: int) -> str | None:
    if deductions >= MAX_DEDUCTIONS:
        return None
    for threshold, level in LEVELS:
        if score >= threshold:
            return level
    return None


def total(points: list[tuple[float, float]], deductions: int, bonus: int) -> Score:
    """points: (points applicable, points obtained) of every applicable clause.
    Score = obtained / applicable x 100, minus 1 per special deduction, plus the bonus
    (at most one), kept within 0..100."""
    applicable = sum(p for p, _ in points)
    obtained = sum(o for _, o in points)
    base = obtained / applicable * 100 if applicable else 0.0
    bonus = min(bonus, 1)
    value = base - deductions * DEDUCTION_POINTS + bonus * BONUS_POINTS
    value = round(min(max(value, 0.0), 100.0), 2)
    return Score(round(obtained, 2), round(applicable, 2), deductions, bonus, value,
                 level_of(value, deductions))
