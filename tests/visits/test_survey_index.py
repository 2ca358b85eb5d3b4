"""The satisfaction survey's index for clause 5.3.1.4 (visits/evidence.py): each answer's
weighted mean of its five scores on a 100 scale, averaged over the period's answers, with
the weights the rubric gives (equal by default); its records recount it."""

import json

import pytest
from sqlalchemy import select

from aftersales.core.errors import ValidationFailed
from aftersales.customers.models import CustomerAct
from aftersales.evidence.compliance import catalog, engine, registry, rubric
from aftersales.evidence.compliance.checks import MetricCheck, checks_of
from aftersales.evidence.models import SnapshotClause
from aftersales.extensions import db
from aftersales.visits import surveys
from tests.evidence.test_providers import measure, period
from tests.factories import make_user
from tests.visits.factories import answered_survey

KEY = "visits.survey_index"
ALL_FIVE = dict.fromkeys(("timeliness", "attitude", "skill", "result", "fees"), 5)


@pytest.fixture(autouse=True)
def _everyone_asked(settings_changed):
    settings_changed("visits", survey_share=1.0)


def _scores(timeliness, attitude, skill, result, fees):
    return {"timeliness": timeliness, "attitude": attitude, "skill": skill,
            "result": result, "fees": fees}


def test_an_answer_is_stored_with_the_customers_act():
    answer = answered_survey(_scores(5, 4, 3, 2, 1), comment="师傅很准时")
    act = db.session.get(CustomerAct, answer.act_id)
    assert (act.step, act.record_id, answer.comment) == ("answer_survey", answer.ticket_id,
                                                        "师傅很准时")


def test_with_equal_weights_the_index_is_the_mean_score_times_twenty():
    answered_survey(_scores(5, 4, 3, 2, 1))  # mean 3 -> 60
    answered_survey(ALL_FIVE)  # 100
    measured, _ = measure(KEY)
    assert (measured.value, measured.checked) == (80.0, 2)


def test_weights_of_the_rubric_change_the_index():
    answered_survey(_scores(5, 1, 1, 1, 1))
    rubric.set_weights(db.session, make_user("manager"), KEY,
                       _scores(3, 1, 0, 0, 0), reason="及时性最重要")
    db.session.commit()
    memo_period = period()
    memo_period.memo["weights"] = rubric.current(db.session).weights
    measured = measure_with(memo_period)
    assert measured.value == 80.0  # (3x5 + 1x1) / 4 x 20


def measure_with(a_period):
    return registry.registered()[KEY].func(db.session, a_period, 90)


def test_the_default_weights_are_equal():
    assert set(catalog.load().providers[KEY].weights.values()) == {1.0}


def test_a_dissatisfied_answer_is_a_failing_record():
    low = answered_survey(_scores(2, 2, 2, 2, 1))
    answered_survey(ALL_FIVE)
    measured, failing = measure(KEY)
    assert failing == [low.id] and (measured.passed, measured.checked) == (1, 2)


def test_the_records_recount_the_figure():
    answered_survey(_scores(5, 4, 3, 2, 1))
    answered_survey(_scores(4, 4, 5, 3, 5))
    answered_survey(ALL_FIVE)
    measured, _ = measure(KEY)
    rows = db.session.execute(measured.detail).mappings().all()
    recounted = []
    for row in rows:
        weights = {name: row[f"weight_{name}"] for name in ALL_FIVE}
        recounted.append(sum(row[name] * weights[name] for name in ALL_FIVE)
                         * 20 / sum(weights.values()))
        assert row["index_100"] == pytest.approx(recounted[-1], abs=0.01)
    assert measured.value == pytest.approx(sum(recounted) / len(recounted), abs=0.05)


def test_no_answer_is_no_data():
    assert measure(KEY)[0].value is None


def test_the_clause_shows_both_figures_and_the_weights_it_counted_with():
    answered_survey(ALL_FIVE)
    snapshot = engine.compute(db.session, only={"5.3.1.4"})
    db.session.commit()
    clause = db.session.get(SnapshotClause, (snapshot.id, "5.3.1.4"))
    metrics = {check.key: check for check in checks_of(json.loads(clause.detail_json))
               if isinstance(check, MetricCheck)}
    assert set(metrics) == {"visits.satisfaction", KEY}
    assert metrics[KEY].value == 100.0 and metrics[KEY].weights == dict.fromkeys(ALL_FIVE, 1.0)


def test_weights_all_zero_are_refused():
    with pytest.raises(ValidationFailed):
        rubric.set_weights(db.session, make_user("manager"), KEY, _scores(0, 0, 0, 0, 0),
                           reason="试试")


def test_a_changed_weight_is_a_departure_from_the_default():
    rubric.set_weights(db.session, make_user("manager"), KEY, _scores(2, 1, 1, 1, 1),
                       reason="及时性更重要")
    db.session.commit()
    (departure,) = [d for d in rubric.departures(db.session) if d.number_or_key == KEY]
    assert departure.what == "weights" and departure.reason == "及时性更重要"


def test_the_index_in_python_matches_sql():
    answer = answered_survey(_scores(5, 4, 3, 2, 1))
    assert surveys.weighted_index(answer.scores()) == 60.0
    assert db.session.scalar(select(surveys.index_100()).where(
        surveys.answered_between(*_bounds()).whereclause)) == pytest.approx(60.0)


def _bounds():
    a_period = period()
    return a_period.start, a_period.end
