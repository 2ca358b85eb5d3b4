"""The benchmarks' figure lines: printed once per figure and read back for the docs table."""

import pytest

from tests.bench import figures


def test_a_figure_line_reads_back_as_the_same_figure(capsys):
    printed = figures.report("complaints.ladder_scan", 42.0, 31.0, goal="measured<=50", unit="ms")
    line = capsys.readouterr().out.strip()
    assert line == ("figure: complaints.ladder_scan measured=42 floor=31 ratio=1.35 "
                    "goal=measured<=50 unit=ms")
    assert figures.parse(line) == printed


def test_a_ratio_goal_is_judged_on_measured_over_floor():
    assert figures.Figure("x", 140, 100, "ratio<=1.5", "ms").met is True
    assert figures.Figure("x", 160, 100, "ratio<=1.5", "ms").met is False
    assert figures.Figure("x", 0.6, 1.0, "ratio>=0.5", "share").met is True


def test_a_ratio_goal_without_a_floor_is_not_judged():
    assert figures.Figure("x", 1.0, None, "ratio<=2", "s").met is None


def test_a_goal_that_bounds_nothing_known_is_refused():
    with pytest.raises(ValueError, match="goal"):
        figures.report("x", 1.0, None, goal="fast", unit="ms")


def test_other_output_is_not_a_figure():
    assert figures.parse("demo --scale 10 loaded in 50 s") is None


def test_p95_is_the_nearest_rank():
    assert figures.p95([float(n) for n in range(1, 21)]) == 19.0
    assert figures.p95([5.0]) == 5.0
