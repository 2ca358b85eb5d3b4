"""Charts drawn on the server as SVG: no script, no library, nothing fetched from the internet.

Each function returns markup ready for a template. Every chart scales with the screen through its
viewBox, names itself (`role="img"`, `aria-label`, `<title>`), escapes every text it draws and
takes its colours from the stylesheet (classes `chart-*`), and the page shows the same figures as
a table beside it for screen readers and auditors.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

WIDTH = 480
FONT_SIZE = 12
#: Width of a narrow (Latin, digit) character at FONT_SIZE; a wide (CJK) one counts twice.
CHAR_WIDTH = 7.0
LABEL_GAP = 12
BAR_ROW = 26
BAR_LABEL_WIDTH = 150
BAR_VALUE_WIDTH = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    #: The value as people read it ("82.5%", "14"); drawn at the bar's end.
    text: str


def text_width(text: str) -> float:
    """The drawn width of a label, wide characters counting double."""
    return sum(CHAR_WIDTH * (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in text)


def _fit(text: str, width: float) -> str:
    """The label cut with an ellipsis to fit `width`; the whole label stays in the bar's title."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _empty(message: str) -> Markup:
    return Markup('<p class="empty chart-empty">{}</p>').format(message)


def _svg(title: str, height: float, parts: list[Markup], css: str) -> Markup:
    return Markup(
        '<svg class="chart {css}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" '
        'font-size="{f}"><title>{t}</title>{body}</svg>'
    ).format(css=css, w=WIDTH, h=round(height), t=title, f=FONT_SIZE, body=Markup().join(parts))


def bar_chart(
    bars: Sequence[Bar], *, title: str, empty: str, maximum: float | None = None,
) -> Markup:
    """Horizontal bars, one row each, so labels never collide however many there are.

    `maximum` fixes the scale (1 for shares); otherwise the largest value fills the width."""
    if not bars:
        return _empty(empty)
    top = maximum if maximum is not None else max(bar.value for bar in bars)
    span = WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
    rows = []
    for i, bar in enumerate(bars):
        y = i * BAR_ROW
        length = 0 if top <= 0 else max(0.0, min(1.0, bar.value / top)) * span
        rows.append(Markup(
            '<g class="chart-bar"><title>{label}: {text}</title>'
            '<text x="{lx}" y="{ty}" text-anchor="end">{short}</text>'
            '<rect class="chart-track" x="{x}" y="{by}" width="{span}" height="{bh}"/>'
            '<rect class="chart-fill" x="{x}" y="{by}" width="{length}" height="{bh}"/>'
            '<text class="chart-value" x="{vx}" y="{ty}">{text}</text></g>'
        ).format(
            label=bar.label, text=bar.text, short=_fit(bar.label, BAR_LABEL_WIDTH - 8),
            lx=BAR_LABEL_WIDTH - 8, ty=y + 17, x=BAR_LABEL_WIDTH, by=y + 5, bh=BAR_ROW - 8,
            span=span, length=round(length, 1), vx=BAR_LABEL_WIDTH + round(length, 1) + 4,
        ))
    return _svg(title, len(bars) * BAR_ROW + 4, rows, "chart-bars")


def _month_starts(first: date, last: date, months: int) -> list[date]:
    day = date(first.year, first.month, 1)
    ticks = []
    while day <= last:
        if day >= first:
            ticks.append(day)
        index = day.year * 12 + day.month - 1 + months
        day = date(index // 12, index % 12 + 1, 1)
    return ticks


def _candidate_ticks(first: date, last: date):
    """Tick dates from the finest to the coarsest, each with the way its labels read."""
    for days in (1, 2, 7, 14):
        yield [first + timedelta(days=d) for d in range(0, (last - first).days + 1, days)], "%m-%d"
    for months in (1, 2, 3, 6, 12, 24, 60):
        yield _month_starts(first, last, months), "%Y-%m"


def date_ticks(first: date, last: date, width: float) -> list[tuple[float, str]]:
    """Dated ticks across `width`: the finest step whose labels, centred on their ticks, leave
    LABEL_GAP between neighbours (the chart's margins take the half label at either end)."""
    if first == last:
        return [(width / 2, first.isoformat())]
    span = (last - first).days
    for ticks, pattern in _candidate_ticks(first, last):
        placed = [((day - first).days / span * width, day.strftime(pattern)) for day in ticks]
        if _spaced(placed):
            return placed
    return [(0.0, first.isoformat())]


def _spaced(placed: list[tuple[float, str]]) -> bool:
    edges = [(x - text_width(label) / 2, x + text_width(label) / 2) for x, label in placed]
    pairs = zip(edges, edges[1:], strict=False)
    return all(right + LABEL_GAP <= left for (_, right), (left, _) in pairs)


def line_chart(
    points: Sequence[tuple[date, float]], *, title: str, empty: str,
    low: float = 0, high: float = 100, grid: Sequence[float] = (0, 25, 50, 75, 100),
    marked: Sequence[float] = (),
) -> Markup:
    """Values over time on a dated axis (a day's place is its date, gaps show as gaps).

    `grid` are the labelled horizontal lines (keep them a label's height apart); `marked` ones
    (thresholds) are drawn dashed, labelled only when also in `grid`."""
    if len(points) < 2:
        return _empty(empty)
    points = sorted(points)
    left, right, top, axis = 40, 28, 10, 180
    plot = WIDTH - left - right
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def y_of(value: float) -> float:
        return round(top + (high - value) / (high - low) * (axis - top), 1)

    def x_of(day: date) -> float:
        return round(left + (day - first).days / span * plot, 1)

    parts = []
    for value in sorted({*grid, *marked}):
        y = y_of(value)
        css = "chart-mark" if value in marked else "chart-grid"
        parts.append(Markup('<line class="{css}" x1="{l}" x2="{r}" y1="{y}" y2="{y}"/>')
                     .format(css=css, l=left, r=WIDTH - right, y=y))
        if value in grid:
            parts.append(Markup(
                '<text class="chart-axis" x="{x}" y="{y}" text-anchor="end">{v}</text>'
            ).format(x=left - 4, y=y + 4, v=f"{value:g}"))
    for x, label in date_ticks(first, last, plot):
        parts.append(Markup(
            '<line class="chart-grid" x1="{x}" x2="{x}" y1="{a}" y2="{b}"/>'
            '<text class="chart-axis chart-x" x="{x}" y="{ty}" text-anchor="middle">{label}</text>'
        ).format(x=round(left + x, 1), a=axis, b=axis + 4, ty=axis + 18, label=label))
    line = " ".join(f"{x_of(day)},{y_of(value)}" for day, value in points)
    parts.append(Markup('<polyline class="chart-line" points="{}"/>').format(line))
    for day, value in points:
        parts.append(Markup(
            '<circle class="chart-dot" cx="{x}" cy="{y}" r="3"><title>{d}: {v}</title></circle>'
        ).format(x=x_of(day), y=y_of(value), d=day.isoformat(), v=f"{value:g}"))
    return _svg(title, axis + 26, parts, "chart-line-chart")


@dataclass(frozen=True)
class Place:
    """A point on a map: what it is (`kind`, a CSS class), its name and where it leads."""
    latitude: float
    longitude: float
    label: str
    kind: str
    href: str | None = None


MAP_PAD = 24
MAP_MAX_HEIGHT = 360
MAP_MIN_SPAN = 0.02  # degrees: one place alone, or all in one street, still gets a neighbourhood


def _projection(places: Sequence[Place]):
    """Equirectangular around the middle of the places: longitude shrunk by cos(latitude), the
    same scale both ways, fitted into WIDTH and at most MAP_MAX_HEIGHT."""
    lats = [p.latitude for p in places]
    lons = [p.longitude for p in places]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    squeeze = math.cos(math.radians(mid_lat))
    span_x = max((max(lons) - min(lons)) * squeeze, MAP_MIN_SPAN)
    span_y = max(max(lats) - min(lats), MAP_MIN_SPAN)
    scale = min((WIDTH - 2 * MAP_PAD) / span_x, (MAP_MAX_HEIGHT - 2 * MAP_PAD) / span_y)
    height = span_y * scale + 2 * MAP_PAD

    def project(place: Place) -> tuple[float, float]:
        x = WIDTH / 2 + (place.longitude - mid_lon) * squeeze * scale
        y = height / 2 - (place.latitude - mid_lat) * scale
        return round(x, 1), round(y, 1)

    return project, height


def _free(box: tuple[float, float, float, float], taken: list) -> bool:
    left, top, right, bottom = box
    return all(right <= x0 or left >= x1 or bottom <= y0 or top >= y1 for x0, y0, x1, y1 in taken)


def _named(places: Sequence[Place], spots: list[tuple[float, float]]) -> list[bool]:
    """Which places get their name written beside the mark: the later a place, the more it
    matters (it is drawn on top), so names are handed out last first, each where it collides
    with no name already given and fits the map."""
    taken: list[tuple[float, float, float, float]] = []
    named = [False] * len(places)
    for i in reversed(range(len(places))):
        x, y = spots[i]
        box = (x + 8, y - FONT_SIZE / 2 - 2, x + 8 + text_width(places[i].label), y + FONT_SIZE / 2)
        if box[2] <= WIDTH and _free(box, taken):
            taken.append(box)
            named[i] = True
    return named


def place_map(
    places: Sequence[Place], links: Sequence[tuple[int, int]], *, title: str, empty: str,
) -> Markup:
    """Places drawn where they are, later ones over earlier ones, `links` (pairs of indexes
    into `places`) as lines between them. A name is written beside its mark only where it
    collides with no later place's name; every mark keeps its name in its title."""
    if not places:
        return _empty(empty)
    project, height = _projection(places)
    spots = [project(place) for place in places]
    parts = [Markup('<line class="chart-link" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
        *spots[a], *spots[b]) for a, b in links]
    for place, (x, y), named in zip(places, spots, _named(places, spots), strict=True):
        mark = Markup(
            '<g class="chart-place {kind}"><title>{label}</title>'
            '<circle cx="{x}" cy="{y}" r="6"/>{name}</g>'
        )
        name = (Markup('<text x="{}" y="{}">{}</text>').format(x + 9, y + 4, place.label)
                if named else Markup(""))
        drawn = mark.format(kind=place.kind, label=place.label, x=x, y=y, name=name)
        if place.href:
            drawn = Markup('<a href="{}">{}</a>').format(place.href, drawn)
        parts.append(drawn)
    return _svg(title, height, parts, "chart-map")
