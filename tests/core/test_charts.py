"""Server-drawn SVG charts: readable labels, escaped text, an honest empty state."""
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from aftersales.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    # Our own drawing, not outside input; it has no namespace, so give it one to parse it.
    document = str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ET.fromstring(document)  # noqa: S314


def daily(count: int, first: date = date(2026, 1, 1)) -> list[tuple[date, float]]:
    return [(first + timedelta(days=i), float(i % 100)) for i in range(count)]


@pytest.mark.parametrize("count", [2, 3, 5, 7, 10, 14, 20, 31, 45, 60, 90, 120, 180, 270, 365])
def test_date_labels_never_overlap(count):
    svg = parse(charts.line_chart(daily(count), title="Score", empty="none"))
    labels = [(float(t.get("x")), t.text) for t in svg.iter(f"{SVG}text")
              if "chart-x" in t.get("class", "")]
    assert len(labels) >= 2
    edges = [(x - charts.text_width(text) / 2, x + charts.text_width(text) / 2)
             for x, text in labels]
    for (_, right), (left, _) in zip(edges, edges[1:], strict=False):
        assert right < left


def test_the_date_axis_places_days_by_their_date_not_their_order():
    svg = parse(charts.line_chart([(date(2026, 1, 1), 50), (date(2026, 1, 2), 60),
                                   (date(2026, 1, 11), 70)], title="Score", empty="none"))
    xs = [float(c.get("cx")) for c in svg.iter(f"{SVG}circle")]
    assert (xs[1] - xs[0]) * 9 == pytest.approx(xs[2] - xs[1], abs=1)


def test_labels_and_titles_are_escaped():
    markup = str(charts.bar_chart([charts.Bar("<b>A&B</b>", 1, "<i>1</i>")],
                                  title='"Quoted" <title>', empty="none"))
    assert "<b>" not in markup and "<i>" not in markup
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in markup
    parse(markup)  # still a well-formed drawing


def test_a_chart_names_itself_for_screen_readers():
    svg = parse(charts.bar_chart([charts.Bar("A", 1, "1")], title="Received", empty="none"))
    assert svg.get("role") == "img" and svg.get("aria-label") == "Received"
    assert svg.find(f"{SVG}title").text == "Received"


def test_empty_data_says_so_instead_of_drawing():
    empty = charts.bar_chart([], title="T", empty="Nothing in this period")
    assert "Nothing in this period" in str(empty)
    assert "<svg" not in str(charts.line_chart(daily(1), title="T", empty="Nothing"))


def test_bars_are_scaled_to_the_maximum_given():
    svg = parse(charts.bar_chart([charts.Bar("half", 0.5, "50%")], title="T", empty="", maximum=1))
    track, fill = (r for r in svg.iter(f"{SVG}rect"))
    assert float(fill.get("width")) == pytest.approx(float(track.get("width")) / 2)


def test_a_long_label_is_shortened_and_kept_whole_in_its_title():
    name = "北京朝阳区家电售后服务中心第一分部"
    svg = parse(charts.bar_chart([charts.Bar(name, 1, "1")], title="T", empty=""))
    drawn = next(t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end")
    assert drawn.endswith("…") and charts.text_width(drawn) <= charts.BAR_LABEL_WIDTH
    assert any(name in (t.text or "") for t in svg.iter(f"{SVG}title"))
