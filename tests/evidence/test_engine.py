"""The engine against a score computed by hand on a small dataset."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from aftersales.core.clock import utcnow
from aftersales.evidence.compliance import engine, registry, rubric
from aftersales.evidence.models import Snapshot, SnapshotClause
from aftersales.extensions import db
from aftersales.visits import services as visit_services
from tests.evidence.factories import (
    days_ago,
    make_action,
    make_deduction,
    make_document,
    snapshot,
)
from tests.visits.factories import make_visit


def clause_row(shot, number) -> SnapshotClause:
    return engine.snapshot_clause(db.session, shot, number)


def test_the_engine_agrees_with_a_score_computed_by_hand():
    # 5.2.5.5 (1 point) excluded: 99 applicable points remain.
    rubric.set_clause(db.session, None, "5.2.5.5", 1, False, "生产型企业，非贸易型")
    # 5.1.4.1 (3): the service manual is approved and in force all period -> 3.
    make_document("service_manual", effective_days_ago=200, review_in_days=100)
    # 5.1.3.1 (2): the budget's approved version lapsed after its review day 20 days ago:
    # in force on 70 of the period's 90 days -> 2 x 70/90.
    make_document("budget", "经费预算", effective_days_ago=400, review_in_days=-20)
    # 5.1.6.1 (3, record sample): 3 of 4 actions due in the period done on time -> 2.25
    # (the return-visit follow-ups have no data and are left out).
    make_action(due_days_ago=10, done_days_ago=12)
    make_action(due_days_ago=9, done_days_ago=9)
    make_action(due_days_ago=8, done_days_ago=20)
    make_action(due_days_ago=7, done_days_ago=3)  # late
    # 5.3.1.4 (4): scores 5, 5, 4, 4 -> 90 of 100, meets 90 -> 4.
    # 5.3.1.3 (3): every closed work order visited (met) but no privacy policy in force
    # for any of the period -> 0 (the policy scales the clause; it does not average in).
    for offset, score in enumerate((5, 5, 4, 4)):
        visit = make_visit(closed_on=days_ago(10 + offset))
        visit_services.record_visit(db.session, visit, None, "reached", satisfaction=score)
    # One special deduction: -1.
    make_deduction()
    shot = snapshot()

    obtained = 3 + 2 * 70 / 90 + 2.25 + 4 + 0
    assert float(shot.points_applicable) == 99
    assert float(shot.points_obtained) == round(obtained, 2) == 10.81
    assert float(shot.score) == round(obtained / 99 * 100 - 1, 2) == 9.91
    assert shot.level is None and shot.deductions == 1
    statuses = {n: clause_row(shot, n).status for n in
                ("5.1.4.1", "5.1.3.1", "5.1.6.1", "5.3.1.4", "5.3.1.3", "5.2.5.5")}
    assert statuses == {"5.1.4.1": "met", "5.1.3.1": "partly_met", "5.1.6.1": "partly_met",
                        "5.3.1.4": "met", "5.3.1.3": "not_met",
                        "5.2.5.5": "not_applicable"}


def test_a_failing_metric_keeps_its_exact_counts():
    make_action(due_days_ago=5, done_days_ago=6)
    make_action(due_days_ago=4, done_days_ago=1)
    shot = snapshot()
    detail = json.loads(clause_row(shot, "5.1.6.1").detail_json)
    metric = next(c for c in detail["checks"] if c["key"] == "evidence.improvement_actions")
    assert (metric["passed"], metric["checked"], metric["failing_count"]) == (1, 2, 1)
    assert float(clause_row(shot, "5.1.6.1").obtained) == 1.5


def test_the_records_behind_a_metric_are_fetched_when_it_is_drilled_into():
    on_time = make_action(due_days_ago=5, done_days_ago=6)
    late = make_action(due_days_ago=4, done_days_ago=1)
    shot = snapshot()
    drills = engine.drill_down(db.session, shot.period_from, shot.period_to, shot.computed_at,
                               ["evidence.improvement_actions"])
    drill = drills["evidence.improvement_actions"]
    assert (drill.failing_ids, drill.failing_count) == ([late.id], 1)
    assert sorted(drill.sample_ids) == sorted([on_time.id, late.id])


def test_a_metric_without_data_has_nothing_to_drill_into():
    shot = snapshot()
    assert engine.drill_down(db.session, shot.period_from, shot.period_to, shot.computed_at,
                             ["evidence.improvement_actions", "no.such_metric"]) == {}


def test_a_document_counts_only_while_an_approved_version_is_in_force():
    make_document("service_manual", approve=False)
    assert clause_row(snapshot(), "5.1.4.1").status == "not_met"
    make_document("service_manual", effective_days_ago=-5)  # effective next week
    assert clause_row(snapshot(), "5.1.4.1").status == "not_met"
    make_document("service_manual", effective_days_ago=120)
    assert clause_row(snapshot(), "5.1.4.1").status == "met"


def test_a_clause_whose_provider_is_not_registered_shows_no_data_and_scores_nothing(
        monkeypatch):
    """A module not built (or not loaded) leaves its clause without data, never a score."""
    for key in ("portal.online_service", "portal.published_commitments"):
        monkeypatch.delitem(registry._PROVIDERS, key)
    row = clause_row(snapshot(), "5.3.1.2")
    detail = json.loads(row.detail_json)
    assert row.status == "no_data" and float(row.obtained) == 0
    assert {c["registered"] for c in detail["checks"]} == {False}


def test_a_rubric_change_changes_the_points_and_is_kept_with_its_reason():
    rubric.set_clause(db.session, None, "5.1.4.1", 5, True, reason="手册权重提高")
    make_document("service_manual")
    shot = snapshot()
    assert float(clause_row(shot, "5.1.4.1").obtained) == 5
    assert float(shot.points_applicable) == 102
    change = rubric.history(db.session)[0]
    assert (change.subject, change.old_value, change.new_value, change.reason) == (
        "5.1.4.1 points", "3.0", "5.00", "手册权重提高")


def test_an_excluded_clause_needs_a_reason():
    from aftersales.core.errors import ValidationFailed

    try:
        rubric.set_clause(db.session, None, "5.2.5.5", 1, False, "")
    except ValidationFailed as problem:
        assert problem.field == "na_reason"
    else:
        raise AssertionError("excluded without a reason")


def test_a_record_change_makes_the_clauses_it_feeds_stale_and_refresh_recomputes_them():
    shot = snapshot()
    assert engine.stale_clauses(db.session, shot) == set()
    make_action(due_days_ago=3, done_days_ago=4)
    assert engine.stale_clauses(db.session, shot) == {"5.1.6.1"}
    refreshed = engine.refresh(db.session)
    db.session.commit()
    assert refreshed.kind == "refresh"
    assert clause_row(refreshed, "5.1.6.1").status == "met"
    # an untouched clause was carried over, computed at the earlier time
    assert clause_row(refreshed, "5.1.4.1").computed_at == clause_row(shot, "5.1.4.1").computed_at
    assert engine.refresh(db.session) is None  # nothing stale any more


def test_the_daily_snapshot_runs_once_a_day():
    assert engine.daily(db.session) is not None
    assert engine.daily(db.session) is None
    tomorrow = utcnow() + timedelta(days=1)
    assert engine.daily(db.session, tomorrow) is not None
    assert db.session.scalar(select(func.count()).select_from(Snapshot)) == 2
