"""One machine-readable line per measured figure, the same for every benchmark:

    figure: NAME measured=VALUE floor=VALUE ratio=R goal=G unit=U

`measured` and `floor` come from the same run on the same data (a floor of `-` when the
figure has none); `goal` is what the figure must meet, written as the quantity it bounds:
`ratio<=1.5` (times the floor), `measured<=50` (in the unit), `ratio>=0.5` (a share of the
floor's throughput). `docs/benchmarks.md`'s table is produced from these lines
(`python -m tests.bench.figures_table`), so a benchmark prints them and nothing else needs
parsing.
"""

import operator
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

_COMPARE = {"<=": operator.le, ">=": operator.ge}
_GOAL = re.compile(r"^(measured|ratio)(<=|>=)([0-9.]+)$")
_LINE = re.compile(r"^figure: (\S+) (.*)$")


@dataclass(frozen=True)
class Figure:
    name: str
    measured: float
    floor: float | None
    goal: str
    unit: str

    @property
    def ratio(self) -> float | None:
        return self.measured / self.floor if self.floor else None

    @property
    def met(self) -> bool | None:
        """Whether the goal holds; None when it bounds a ratio and there is no floor."""
        quantity, compare, bound = _GOAL.match(self.goal).groups()
        value = self.measured if quantity == "measured" else self.ratio
        return None if value is None else _COMPARE[compare](value, float(bound))

    def line(self) -> str:
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}"
        return (f"figure: {self.name} measured={_number(self.measured)} "
                f"floor={_number(self.floor)} ratio={ratio} goal={self.goal} unit={self.unit}")


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def report(name: str, measured: float, floor: float | None, *, goal: str, unit: str) -> Figure:
    """Prints the figure's line and returns it."""
    if not _GOAL.match(goal):
        raise ValueError(f"goal {goal!r} is not measured|ratio <=|>= number")
    figure = Figure(name, measured, floor, goal, unit)
    print(figure.line(), flush=True)
    return figure


def parse(line: str) -> Figure | None:
    """The figure a benchmark's output line states, or None for any other line."""
    found = _LINE.match(line.strip())
    if not found:
        return None
    fields = dict(part.split("=", 1) for part in found.group(2).split())
    return Figure(
        found.group(1),
        float(fields["measured"]),
        None if fields["floor"] == "-" else float(fields["floor"]),
        fields["goal"],
        fields["unit"],
    )


def samples_ms(action: Callable[[], object], runs: int) -> list[float]:
    """Wall time of `runs` calls of action, in milliseconds."""
    taken = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        taken.append((time.perf_counter() - start) * 1000)
    return taken


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank), the latency 19 of 20 requests stay under."""
    ordered = sorted(samples)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
