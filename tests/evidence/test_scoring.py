from aftersales.evidence.compliance import scoring


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


def sampled(passed, checked):
    return scoring.CheckShare(scoring.SAMPLED, passed / checked, passed, checked)


def qualitative(fraction):
    return scoring.CheckShare(scoring.QUALITATIVE, fraction)


def in_force(share):
    return scoring.CheckShare(scoring.IN_FORCE, share)


def test_a_failed_sample_share_loses_points_in_proportion():
    outcome = scoring.clause_outcome([sampled(3, 4)])
    assert (outcome.status, outcome.fraction) == ("partly_met", 0.75)


def test_checks_without_data_are_left_out_but_all_missing_is_no_data():
    assert scoring.clause_outcome([qualitative(None), qualitative(1.0)]).status == "met"
    assert scoring.clause_outcome([qualitative(None), qualitative(None)]) == (
        scoring.ClauseOutcome("no_data", 0.0))
    assert scoring.clause_outcome([qualitative(0.0), qualitative(0.0)]).status == "not_met"


def test_a_failed_qualitative_check_loses_the_whole_clause():
    # Averaged, a met metric and a failed one kept half the points; the standard keeps none.
    outcome = scoring.clause_outcome([qualitative(1.0), qualitative(0.0), in_force(1.0)])
    assert outcome == scoring.ClauseOutcome("not_met", 0.0)


def test_a_document_in_force_does_not_dilute_a_sample_loss():
    # 1 of 2 sampled records fails: half the points, whatever document stands beside it
    # (averaged with the document, 75 % was kept).
    outcome = scoring.clause_outcome([sampled(1, 2), in_force(1.0)])
    assert outcome == scoring.ClauseOutcome("partly_met", 0.5)


def test_samples_of_one_clause_lose_in_proportion_to_all_their_failing_records():
    # 9 of 10 and 1 of 2 pass: 10 of 12 records pass.
    outcome = scoring.clause_outcome([sampled(9, 10), sampled(1, 2)])
    assert outcome.fraction == 10 / 12


def test_evidence_in_force_for_part_of_the_period_earns_that_share():
    # In force for 30 of 90 days, beside a met metric: a third of the points.
    outcome = scoring.clause_outcome([qualitative(1.0), in_force(30 / 90)])
    assert outcome == scoring.ClauseOutcome("partly_met", 30 / 90)


def test_the_level_is_judged_on_the_unrounded_score():
    # 94.995 shows as 95.0 but is four stars: rounding must not lift a level.
    total = scoring.total([(100, 94.995)], deductions=0, bonus=0)
    assert total.score == 95.0 and total.level == "four_star"
