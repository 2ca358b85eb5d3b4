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


def test_the_docs_table_has_one_row_per_figure_the_last_of_each_name():
    from tests.bench import figures_table

    log = ["demo loaded in 50 s",
           "figure: a.b measured=60 floor=30 ratio=2.00 goal=ratio<=1.5 unit=ms",
           "figure: a.b measured=40 floor=30 ratio=1.33 goal=ratio<=1.5 unit=ms",
           "figure: c measured=7 floor=- ratio=- goal=measured<=10 unit=s"]
    produced = figures_table.table(log, "2026-12-04", "2 cores")
    assert produced.splitlines()[0] == "Measured 2026-12-04 on 2 cores."
    assert "| a.b | 40 | 30 | 1.33 | ratio<=1.5 | yes | ms |" in produced
    assert "| c | 7 | - | - | measured<=10 | yes | s |" in produced
    assert "| a.b | 60 |" not in produced


def test_the_table_replaces_what_stands_between_the_markers():
    from tests.bench import figures_table

    document = f"# B\n{figures_table.BEGIN}\nold\n{figures_table.END}\nrest\n"
    assert figures_table.rewrite(document, "new") == \
        f"# B\n{figures_table.BEGIN}\nnew\n{figures_table.END}\nrest\n"
