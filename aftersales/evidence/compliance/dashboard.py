"""What the dashboard, the clause pages and the API show, read from the latest snapshot
(never recomputed on a page load): score, level, groups, clauses, gaps, the trend and
the certification calendar."""

import calendar as month_calendar
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from aftersales.core.clock import local_today
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance import engine, rubric
from aftersales.evidence.compliance.checks import (
    AttestationCheck,
    Check,
    MetricCheck,
    checks_of,
)
from aftersales.evidence.models import Snapshot, SnapshotClause

LEVEL_THRESHOLDS = {"compliant": 70, "three_star": 80, "four_star": 90, "five_star": 95}


@dataclass
class ClauseView:
    number: str
    group: str
    section: str
    evidence: str
    status: str
    applicable: bool
    points: float
    obtained: float
    evidence_count: int
    computed_at: object
    checks: list[Check]
    na_reason: str
    stale: bool = False

    @property
    def at_stake(self) -> float:
        return round(self.points - self.obtained, 2) if self.applicable else 0.0


def clause_view(row: SnapshotClause, stale: set[str]) -> ClauseView:
    detail = json.loads(row.detail_json)
    clause = catalog_module.load().clause(row.clause_number)
    return ClauseView(
        number=row.clause_number, group=clause.group, section=clause.section,
        evidence=clause.evidence, status=row.status, applicable=row.applicable,
        points=float(row.points), obtained=float(row.obtained),
        evidence_count=row.evidence_count, computed_at=row.computed_at,
        checks=checks_of(detail), na_reason=detail.get("na_reason", ""),
        stale=row.clause_number in stale,
    )


@dataclass
class Summary:
    snapshot: Snapshot
    groups: list[dict]
    clauses: list[ClauseView]
    stale: set[str] = field(default_factory=set)

    @property
    def gaps(self) -> list[ClauseView]:
        """Applicable clauses short of their points, the most points at stake first."""
        open_ = [c for c in self.clauses if c.applicable and c.at_stake > 0]
        return sorted(open_, key=lambda c: (-c.at_stake, c.number))

    @property
    def attested(self) -> list[tuple[ClauseView, AttestationCheck]]:
        """Clauses whose points rest (partly) on an attestation in force in the period."""
        return [(clause, check) for clause in self.clauses if clause.applicable
                for check in clause.checks
                if isinstance(check, AttestationCheck) and check.share > 0]

    @property
    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for clause in self.clauses:
            found[clause.status] = found.get(clause.status, 0) + 1
        return found


def summary(session: Session, snapshot: Snapshot | None = None) -> Summary | None:
    snapshot = snapshot or engine.latest(session)
    if snapshot is None:
        return None
    stale = engine.stale_clauses(session, snapshot)
    groups_data = json.loads(snapshot.groups_json)
    groups = [
        {"group": group, **values,
         "share": round(values["obtained"] / values["points"], 4) if values["points"] else None}
        for group, values in groups_data.items()
    ]
    clauses = [clause_view(row, stale) for row in engine.snapshot_clauses(session, snapshot)]
    return Summary(snapshot, groups, clauses, stale)


def clause_detail(session: Session, number: str) -> ClauseView | None:
    snapshot = engine.latest(session)
    if snapshot is None:
        return None
    row = engine.snapshot_clause(session, snapshot, number)
    if row is None:
        return None
    return clause_view(row, engine.stale_clauses(session, snapshot))


def drill_downs(session: Session, snapshot: Snapshot, view: ClauseView
                ) -> dict[str, engine.DrillDown]:
    """The records behind the clause's measured metrics, fetched as it is opened."""
    keys = [check.key for check in view.checks
            if isinstance(check, MetricCheck) and check.status != "no_data"]
    return engine.drill_down(session, snapshot.period_from, snapshot.period_to,
                             view.computed_at, keys)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Milestone:
    key: str
    on: date
    past: bool


def certification_calendar(session: Session, today: date | None = None) -> list[Milestone]:
    """The system must run 3 months before applying; a certificate is valid 3 years with
    a surveillance audit each year; renewal is applied for 3 months before expiry."""
    today = today or local_today()
    rules = rubric.current(session)
    events: list[tuple[str, date]] = []
    if rules.system_started_on:
        events.append(("system_started", rules.system_started_on))
        events.append(("may_apply", add_months(rules.system_started_on, 3)))
    if rules.certified_on:
        expires = add_months(rules.certified_on, 36)
        events += [
            ("certified", rules.certified_on),
            ("surveillance_1", add_months(rules.certified_on, 12)),
            ("surveillance_2", add_months(rules.certified_on, 24)),
            ("apply_renewal", add_months(expires, -3)),
            ("expires", expires),
        ]
    return [Milestone(key, on, on < today) for key, on in sorted(events, key=lambda e: e[1])]


def format_value(value, unit: str) -> str:
    """A metric's value or target as people read it (pages and the report)."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "seconds":
        hours = value / 3600
        return f"{hours:.1f} h" if hours >= 1 else f"{value / 60:.0f} min"
    if unit == "score":
        return f"{value:.1f}"
    return f"{value:g}"
