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
    fraction: float  # share of the clause's points obtained, unrounded


# How a check weighs on its clause (reference/STANDARD.md, "Scoring"):
QUALITATIVE = "qualitative"  # met or not: a failure loses the clause all its points
SAMPLED = "sampled"  # records checked: points lost in proportion to the failing records
IN_FORCE = "in_force"  # a document, an attestation: the share of the period it was in force


@dataclass(frozen=True)
class CheckShare:
    mode: str
    fraction: float | None  # None: no data in the period (left out)
    passed: int = 0
    checked: int = 0


def clause_outcome(checks: list[CheckShare]) -> ClauseOutcome:
    """A failed qualitative check loses everything; the sampled checks keep the share of
    all their records that pass (a document beside them does not dilute the loss); the
    evidence that must be in force scales what is left by the shortest share of the period
    it was. Checks without data are left out; a clause whose checks all lack data obtains
    nothing and shows no data."""
    known = [check for check in checks if check.fraction is not None]
    if not known:
        return ClauseOutcome("no_data", 0.0)
    if any(check.mode == QUALITATIVE and check.fraction < 1.0 for check in known):
        return ClauseOutcome("not_met", 0.0)
    sampled = [check for check in known if check.mode == SAMPLED]
    checked = sum(check.checked for check in sampled)
    fraction = sum(check.passed for check in sampled) / checked if checked else 1.0
    fraction *= min((check.fraction for check in known if check.mode == IN_FORCE), default=1.0)
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
    """points: (points applicable, points obtained, unrounded) of every applicable clause.
    Score = obtained / applicable x 100, minus 1 per special deduction, plus the bonus
    (at most one), kept within 0..100. The level is judged on the unrounded score (94.995
    is four stars); the score is shown rounded."""
    applicable = sum(p for p, _ in points)
    obtained = sum(o for _, o in points)
    base = obtained / applicable * 100 if applicable else 0.0
    bonus = min(bonus, 1)
    value = min(max(base - deductions * DEDUCTION_POINTS + bonus * BONUS_POINTS, 0.0), 100.0)
    return Score(round(obtained, 2), round(applicable, 2), deductions, bonus, round(value, 2),
                 level_of(value, deductions))
