from tests.evidence.factories import make_deduction


def test_evidence_snapshot_prints_the_score_and_level(app):
    make_deduction()
    result = app.test_cli_runner().invoke(args=["evidence", "snapshot"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("score 0.00 (0.00 of 100.00 applicable points, "
                                    "1 special deductions")
    assert "level: 未达到达标级" in result.output
