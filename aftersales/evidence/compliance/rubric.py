"""The rubric in force: the catalog's defaults overlaid by a manager's edits. Every edit
is a row of history (RubricChange) and, like every change, an audit-trail entry."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core import audit
from aftersales.core.clock import utcnow
from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.evidence.compliance import catalog as catalog_module
from aftersales.evidence.compliance.checks import AttestationCheck, MetricCheck, checks_of
from aftersales.evidence.models import RubricChange, RubricClause, RubricSetting, RubricTarget

SETTINGS = ("period_days", "deduction_window_days", "system_started_on", "certified_on")
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class ClauseRule:
    points: float
    applicable: bool
    na_reason: str
    evidence_required: bool = False  # an attestation counts only with evidence attached


@dataclass(frozen=True)
class Rubric:
    clauses: dict[str, ClauseRule]
    targets: dict[str, float]
    limits: dict[str, float]  # metric key -> the time limit (hours) it counts within
    weights: dict[str, dict[str, float]]  # metric key -> its parts' weights
    period_days: int
    deduction_window_days: int
    system_started_on: date | None
    certified_on: date | None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def current(session: Session) -> Rubric:
    """Three small queries: the overrides are at most one row per clause and provider."""
    catalog = catalog_module.load()
    overrides = {row.clause_number: row for row in session.scalars(select(RubricClause))}
    clauses = {}
    for clause in catalog.clauses:
        row = overrides.get(clause.number)
        clauses[clause.number] = (
            ClauseRule(float(row.points), row.applicable, row.na_reason, row.evidence_required)
            if row else ClauseRule(clause.points, True, "")
        )
    targets = {key: spec.target for key, spec in catalog.providers.items()}
    limits = {key: spec.limit_hours for key, spec in catalog.providers.items()
              if spec.limit_hours is not None}
    for row in session.scalars(select(RubricTarget)):
        targets[row.provider_key] = float(row.target)
        if row.limit_hours is not None and row.provider_key in limits:
            limits[row.provider_key] = float(row.limit_hours)
    settings = {row.key: row.value for row in session.scalars(select(RubricSetting))}
    weights = {key: _weights_read(settings.get(_weights_key(key)), spec.weights)
               for key, spec in catalog.providers.items() if spec.weights is not None}
    defaults = catalog.settings
    return Rubric(
        clauses=clauses, targets=targets, limits=limits, weights=weights,
        period_days=int(settings.get("period_days", defaults.get("period_days", 90))),
        deduction_window_days=int(settings.get("deduction_window_days", 365)),
        system_started_on=_day(settings.get("system_started_on")),
        certified_on=_day(settings.get("certified_on")),
    )


def _record_change(session: Session, actor, subject: str, old, new, reason: str) -> None:
    """A change of the rubric is kept with who, when and why; without a why it is refused
    (a silently lowered target would flatter the score)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("Say why the rubric changes."), field="reason")
    label = actor.display_name if actor else "system"  # the name people read in the rubric
    session.add(RubricChange(
        actor_id=actor.id if actor else None, actor_label=label, subject=subject,
        old_value=str(old), new_value=str(new), reason=reason,
    ))


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_l("Enter a number of points."), field="points") from None
    if not Decimal(0) <= points <= Decimal(100):
        raise ValidationFailed(_l("Points are between 0 and 100."), field="points")
    return points


def set_clause(session: Session, actor, number: str, points, applicable: bool,
               na_reason: str = "", reason: str = "",
               evidence_required: bool | None = None) -> RubricClause:
    """Change a clause's points, exclude it as not applicable (6.2.2, with a reason), or
    require evidence with its attestations."""
    clause = catalog_module.load().clause(number)
    if clause is None:
        raise NotFound(_l("There is no clause %(number)s.", number=number))
    new_points = _points(points)
    na_reason = (na_reason or "").strip()
    if not applicable and not na_reason:
        raise ValidationFailed(
            _l("Say why the clause does not apply to the enterprise."), field="na_reason"
        )
    old = current(session).clauses[number]
    if float(new_points) != old.points:
        _record_change(session, actor, f"{number} points", old.points, new_points, reason)
    if applicable != old.applicable or (not applicable and na_reason != old.na_reason):
        _record_change(
            session, actor, f"{number} applicable",
            "yes" if old.applicable else f"no: {old.na_reason}",
            "yes" if applicable else f"no: {na_reason}", reason or na_reason,
        )
    required = old.evidence_required if evidence_required is None else evidence_required
    if required != old.evidence_required:
        _record_change(session, actor, f"{number} attestation evidence",
                       "required" if old.evidence_required else "optional",
                       "required" if required else "optional", reason)
    row = session.get(RubricClause, number) or RubricClause(clause_number=number)
    row.points, row.applicable, row.evidence_required = new_points, applicable, required
    row.na_reason = "" if applicable else na_reason
    row.updated_at, row.updated_by_id = utcnow(), actor.id if actor else None
    session.add(row)
    audit.label_change(session, row, "rubric:clause")
    session.flush()
    return row


def _number(value, field: str, places: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal(places))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_l("Enter a number."), field=field) from None
    if not low <= number <= high:
        raise ValidationFailed(_l("Enter a number from %(low)s to %(high)s.", low=low,
                                  high=high), field=field)
    return number


def set_target(session: Session, actor, key: str, target, reason: str = "",
               limit_hours=None) -> RubricTarget:
    """Change a metric's target, and for a metric counted within a time limit (a
    complaint's first response, an emergency arrival), the limit."""
    spec = catalog_module.load().providers.get(key)
    if spec is None:
        raise NotFound(_l("There is no metric %(key)s.", key=key))
    value = _number(target, "target", "0.0001", Decimal(0), Decimal(10) ** 9)
    rules = current(session)
    if float(value) != rules.targets[key]:
        _record_change(session, actor, f"{key} target", rules.targets[key], value, reason)
    row = session.get(RubricTarget, key) or RubricTarget(provider_key=key)
    if limit_hours not in (None, "") and spec.limit_hours is not None:
        hours = _number(limit_hours, "limit_hours", "0.01", Decimal("0.01"), Decimal(8760))
        if float(hours) != rules.limits[key]:
            _record_change(session, actor, f"{key} limit", rules.limits[key], hours, reason)
        row.limit_hours = hours
    row.target, row.updated_at = value, utcnow()
    row.updated_by_id = actor.id if actor else None
    session.add(row)
    audit.label_change(session, row, "rubric:target")
    session.flush()
    return row


def _weights_key(key: str) -> str:
    """The rubric setting that keeps a metric's weights."""
    return f"{key} weights"


def weights_text(weights: dict[str, float]) -> str:
    """Weights as the rubric keeps and shows them: `timeliness=2 attitude=1 …`."""
    return " ".join(f"{name}={weight:g}" for name, weight in weights.items())


def _weights_read(stored: str | None, default: dict[str, float]) -> dict[str, float]:
    if not stored:
        return dict(default)
    kept = dict(pair.split("=", 1) for pair in stored.split())
    return {name: float(kept.get(name, weight)) for name, weight in default.items()}


def weighted_parts(key: str) -> tuple[str, ...]:
    """The parts of weighted metric `key` (the survey's dimensions), or NotFound."""
    spec = catalog_module.load().providers.get(key)
    if spec is None or spec.weights is None:
        raise NotFound(_l("There is no weighted metric %(key)s.", key=key))
    return tuple(spec.weights)


def set_weights(session: Session, actor, key: str, weights: dict, reason: str = "") -> None:
    """Change the weights of a weighted metric's parts (the survey's dimensions): each 0
    to 100, not all 0; the index is the weighted mean, so only their ratios count."""
    parts = weighted_parts(key)
    new = {name: float(_number(weights.get(name), name, "0.01", Decimal(0), Decimal(100)))
           for name in parts}
    if not any(new.values()):
        raise ValidationFailed(_l("At least one weight must be more than 0."), field=parts[0])
    old = current(session).weights[key]
    if new == old:
        return
    _record_change(session, actor, _weights_key(key), weights_text(old), weights_text(new),
                   reason)
    row = session.get(RubricSetting, _weights_key(key)) or RubricSetting(key=_weights_key(key))
    row.value, row.updated_at = weights_text(new), utcnow()
    row.updated_by_id = actor.id if actor else None
    session.add(row)
    session.flush()


def set_setting(session: Session, actor, key: str, value: str, reason: str = "") -> None:
    if key not in SETTINGS:
        raise NotFound(_l("There is no setting %(key)s.", key=key))
    value = (value or "").strip()
    if key in ("period_days", "deduction_window_days"):
        if not value.isdigit() or not 1 <= int(value) <= MAX_PERIOD_DAYS:
            raise ValidationFailed(_l("Enter a number of days from 1 to 366."), field=key)
    elif value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed(_l("Not a date."), field=key) from None
    row = session.get(RubricSetting, key)
    old = row.value if row else ""
    if old == value:
        return
    if row is None:
        row = RubricSetting(key=key, value=value)
        session.add(row)
    row.value, row.updated_at = value, utcnow()
    row.updated_by_id = actor.id if actor else None
    _record_change(session, actor, key, old, value, reason)
    session.flush()


@dataclass(frozen=True)
class Departure:
    """A rubric entry that differs from the shipped default, with its latest change."""

    subject: str  # "5.1.4.1 points", "tickets.response_sla target", ...
    number_or_key: str
    what: str  # points, applicable, target, limit, attestation evidence
    default: str
    current: str
    by: str
    at: object
    reason: str


def _in_force(session: Session, applied) -> tuple[dict, dict, dict, dict]:
    """Clause rules, targets, limits and weights: those in force now, or those a snapshot's
    clause rows applied (a frozen period's report shows the rubric it was scored with)."""
    if applied is None:
        rules = current(session)
        return rules.clauses, rules.targets, rules.limits, rules.weights
    clauses, targets, limits, weights = {}, {}, {}, {}
    for row in applied:
        detail = json.loads(row.detail_json)
        checks = checks_of(detail)
        clauses[row.clause_number] = ClauseRule(
            float(row.points), row.applicable, detail.get("na_reason", ""),
            any(c.evidence_required for c in checks if isinstance(c, AttestationCheck)))
        for check in checks:
            if isinstance(check, MetricCheck):
                targets[check.key] = check.target
                if check.limit_hours is not None:
                    limits[check.key] = check.limit_hours
                if check.weights is not None:
                    weights[check.key] = check.weights
    return clauses, targets, limits, weights


def departures(session: Session, applied=None, until=None) -> list[Departure]:
    """Every clause and metric whose rubric entry differs from the catalog's default (in
    force now, or as a snapshot applied it: `applied` its clause rows, `until` its time),
    with who changed it last, when and why. The dashboard, the rubric page and the report
    list them."""
    catalog = catalog_module.load()
    clauses, targets, limits, weights = _in_force(session, applied)
    found: list[tuple[str, str, str, str]] = []
    for clause in catalog.clauses:
        rule = clauses.get(clause.number)
        if rule is None:
            continue
        if rule.points != clause.points:
            found.append((clause.number, "points", f"{clause.points:g}", f"{rule.points:g}"))
        if not rule.applicable:
            found.append((clause.number, "applicable", "yes", f"no: {rule.na_reason}"))
        if rule.evidence_required:
            found.append((clause.number, "attestation evidence", "optional", "required"))
    for key, spec in catalog.providers.items():
        if key in targets and targets[key] != spec.target:
            found.append((key, "target", f"{spec.target:g}", f"{targets[key]:g}"))
        if key in limits and limits[key] != spec.limit_hours:
            found.append((key, "limit", f"{spec.limit_hours:g}", f"{limits[key]:g}"))
        if key in weights and weights[key] != spec.weights:
            found.append((key, "weights", weights_text(spec.weights), weights_text(weights[key])))
    changes = select(RubricChange).order_by(RubricChange.id)
    if until is not None:
        changes = changes.where(RubricChange.at <= until)
    latest = {change.subject: change for change in session.scalars(changes)}
    rows = []
    for name, what, default, now in found:
        change = latest.get(f"{name} {what}")
        rows.append(Departure(
            f"{name} {what}", name, what, default, now,
            change.actor_label if change else "", change.at if change else None,
            change.reason if change else "",
        ))
    return rows


def history(session: Session, limit: int = 200) -> list[RubricChange]:
    return list(session.scalars(
        select(RubricChange).order_by(RubricChange.id.desc()).limit(limit)
    ))
