"""A full recompute costs the same statements however many records feed it: every figure
is an aggregate, and no record list is fetched until a clause is drilled into."""

from aftersales.evidence.compliance import engine
from aftersales.extensions import db
from tests.evidence.factories import make_action
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
