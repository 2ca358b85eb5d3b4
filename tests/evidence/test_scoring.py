from aftersales.evidence import scoring


def test_levels_follow_the_thresholds():
    assert [scoring.level_of(s, 0) for s in (69.99, 70, 80, 90, 94.99, 95)] == [
        None, "compliant", "three_star", "four_star", "four_star", "five_star"
    ]


def test_five_special_deductions_forbid_any_level():
    assert scoring.level_of(99, 4) == "five_star"
    assert scoring.level_of(99, 5) is None


def test_score_is_points_obtained_over_points_applicable():
    total = scoring.total([(4, 4), (3, 1.5), (3, 0)], deductions=0, bonus=0)
    assert (total.obtained, total.applicable, total.score) == (5.5, 10, 55.0)


def test_each_deduction_costs_a_point_and_only_one_bonus_counts():
    total = scoring.total([(10, 9)], deductions=2, bonus=3)
    assert total.score == 90 - 2 + 1 and total.bonus == 1


def test_the_score_stays_within_0_and_100():
    assert scoring.total([(10, 10)], 0, 1).score == 100
    assert scoring.total([(10, 0)], 3, 0).score == 0


def test_a_failed_sample_share_loses_points_in_proportion():
    outcome = scoring.clause_outcome([0.75])
    assert (outcome.status, outcome.fraction) == ("partly_met", 0.75)


def test_checks_without_data_are_left_out_but_all_missing_is_no_data():
    assert scoring.clause_outcome([None, 1.0]).status == "met"
    assert scoring.clause_outcome([None, None]) == scoring.ClauseOutcome("no_data", 0.0)
    assert scoring.clause_outcome([0.0, 0.0]).status == "not_met"
