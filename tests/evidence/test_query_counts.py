"""A full recompute costs the same statements however many records feed it: every figure
is an aggregate, and no record list is fetched until a clause is drilled into. A freeze
reads and keeps its sampled records' sheets in batches, not one record at a time."""

from sqlalchemy import func, select

from aftersales.evidence.audit import periods
from aftersales.evidence.compliance import engine
from aftersales.evidence.models import FrozenSheet
from aftersales.extensions import db
from tests.evidence.factories import days_ago, make_action
from tests.evidence.package_factories import MANAGER, closed_ticket
from tests.factories import make_ticket


def _records(count):
    for _ in range(count):
        make_action(due_days_ago=4, done_days_ago=1, commit=False)  # done late: failing
        make_ticket(commit=False)
    db.session.commit()


def _recompute_statements(count_queries) -> int:
    db.session.expire_all()
    with count_queries() as statements:
        engine.compute(db.session, kind="full")
    db.session.rollback()
    return len(statements)


def test_a_recompute_takes_as_many_statements_for_12_records_as_for_2(count_queries):
    _records(2)
    few = _recompute_statements(count_queries)
    _records(10)
    assert _recompute_statements(count_queries) == few


def test_a_drill_down_takes_as_many_statements_for_12_failing_records_as_for_2(
        count_queries):
    def drill_statements():
        shot = engine.compute(db.session, kind="full")
        with count_queries() as statements:
            engine.drill_down(db.session, shot.period_from, shot.period_to, shot.computed_at,
                              ["evidence.improvement_actions"])
        db.session.rollback()
        return len(statements)

    _records(2)
    few = drill_statements()
    _records(10)
    assert drill_statements() == few


def test_freezing_a_period_takes_as_many_statements_for_12_sampled_work_orders_as_for_2(
        count_queries):
    def freeze_statements():
        db.session.expire_all()
        with count_queries() as statements:
            frozen = periods.freeze(db.session, MANAGER, days_ago(30), days_ago(1), share=1)
        sheets = db.session.scalar(select(func.count()).select_from(FrozenSheet).where(
            FrozenSheet.period_id == frozen.id, FrozenSheet.record_type == "tickets"))
        db.session.rollback()
        return len(statements), sheets

    for _ in range(2):
        closed_ticket()
    few, sheets = freeze_statements()
    assert sheets == 2
    for _ in range(10):
        closed_ticket()
    assert freeze_statements() == (few, 12)
