"""Server-drawn SVG charts: valid, accessible markup, German numbers, gaps and odd data."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from quartier.core import charts

SVG = "{http://www.w3.org/2000/svg}"
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.I | re.S)


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def assert_sound(markup) -> ET.Element:
    text = str(markup)
    root = parse(text)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for element in root.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"):
            if element.get(name) is not None:
                assert math.isfinite(float(element.get(name))), (name, element.get(name))
        for pair in (element.get("points") or "").split():
            assert all(math.isfinite(float(n)) for n in pair.split(","))
    assert not STYLE_ATTRIBUTE.search(text) and "<style" not in text and "<script" not in text
    return root


def test_a_line_chart_has_a_text_alternative_gaps_and_a_target_line():
    markup = charts.line_chart(
        "Arbeitslose",
        ["2020", "2021", "2022", "2023"],
        [charts.Series("Nordviertel", [1234.5, None, 1100, 990])],
        references=[charts.Reference("Zielwert", 800)],
        unit="Personen",
    )
    root = assert_sound(markup)
    # The gap splits the line: one polyline 2022–2023, a lone dot for 2020.
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert len(root.findall(f"{SVG}circle")) == 3
    assert root.find(f"{SVG}line[@class='chart-target']") is not None
    desc = root.find(f"{SVG}desc").text
    assert "1.234,5" in desc and "2021" not in desc and "Zielwert: 800,0" in desc


def test_a_single_point_all_zeros_and_negative_values_draw_sensible_axes():
    single = assert_sound(charts.line_chart("Eins", ["2024"], [charts.Series("A", [7])]))
    assert len(single.findall(f"{SVG}circle")) == 1
    zeros = assert_sound(charts.bar_chart("Null", ["a", "b"], [0, 0]))
    ticks = [t.text for t in zeros.findall(f"{SVG}text[@class='chart-tick']")]
    assert ticks == ["0", "1"]  # whole numbers, whole ticks
    fractions = assert_sound(charts.bar_chart("Klein", ["a"], [0.4]))
    assert [t.text for t in fractions.findall(f"{SVG}text[@class='chart-tick']")][-1] == "0,4"
    negative = assert_sound(charts.bar_chart("Saldo", ["2022", "2023"], [-40, 25]))
    ticks = [t.text for t in negative.findall(f"{SVG}text[@class='chart-tick']")]
    assert ticks[0].startswith("-") and "0" in ticks
    bars = negative.findall(f"{SVG}rect[@class='chart-bar']")
    # The negative bar hangs below the zero line, the positive one stands on it.
    zero_line = float(bars[1].get("y")) + float(bars[1].get("height"))
    assert float(bars[0].get("y")) == pytest.approx(zero_line, abs=0.2)


def test_no_data_at_all_is_still_a_valid_chart():
    root = assert_sound(charts.line_chart("Leer", [], [charts.Series("A", [])]))
    assert not root.findall(f"{SVG}circle")
    assert_sound(charts.grouped_bar_chart("Leer", ["2020"], [charts.Series("A", [None])]))


def test_two_charts_of_the_same_figures_have_different_ids():
    first = parse(charts.bar_chart("Gleich", ["a"], [1]))
    second = parse(charts.bar_chart("Gleich", ["a"], [1]))
    assert first.find(f"{SVG}title").get("id") != second.find(f"{SVG}title").get("id")


def test_text_is_escaped():
    root = assert_sound(charts.bar_chart('<script>"x"</script>', ["a&b"], [1], label="</title><b>"))
    assert root.find(f"{SVG}title").text == '<script>"x"</script>'


def test_values_and_labels_must_line_up():
    with pytest.raises(ValueError):
        charts.line_chart("x", ["2020", "2021"], [charts.Series("A", [1])])


def test_the_data_table_shows_every_figure_in_german_and_notes_for_gaps():
    table = charts.data_table(
        "Quote",
        ["2022", "2023"],
        [
            charts.Series("Gebiet", [Decimal("12.5"), None], notes=["", "weniger als 5"]),
            charts.Series("Stadt", [1234567, 8]),
        ],
        category_label="Jahr",
        unit="%",
    )
    root = parse(table)
    assert root.find("caption").text == "Quote"
    assert [th.get("scope") for th in root.iter("th")][:3] == ["col", "col", "col"]
    text = str(table)
    assert "12,5" in text and "1.234.567,0" in text and "weniger als 5" in text


def test_format_number_and_year_axis():
    assert charts.format_number(Decimal("1234.5"), 1) == "1.234,5"
    assert charts.format_number(-0.001, 1) == "0,0"
    assert charts.format_number(float("nan")) == ""
    years, values = charts.year_axis({2019: 1, 2022: 4})
    assert years == ["2019", "2020", "2021", "2022"] and values == [1, None, None, 4]
    assert charts.year_axis({}) == ([], [])
    assert charts.year_axis({2020: 1}, first=2018, last=2021)[0] == ["2018", "2019", "2020", "2021"]


def test_a_chart_renders_with_its_table_in_a_figure():
    chart = charts.trend("T", ["2020"], [charts.Series("A", [1])])
    html = chart.__html__()
    assert html.startswith('<figure class="chart-figure"><svg') and "<table" in html


figures = st.one_of(
    st.none(),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
)
labels = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), size=st.integers(min_value=0, max_value=14), count=st.integers(1, 3))
def test_any_figures_give_valid_charts_and_a_table_with_every_value(data, size, count):
    categories = [f"{2000 + i}" for i in range(size)]
    series = [
        charts.Series(data.draw(labels), data.draw(st.lists(figures, min_size=size, max_size=size)))
        for _ in range(count)
    ]
    target = data.draw(st.one_of(st.none(), st.integers(-1000, 1000)))
    references = [charts.Reference("Ziel", target)] if target is not None else []
    with translation.override("de"):
        assert_sound(charts.line_chart("Trend", categories, series, references=references))
        assert_sound(charts.grouped_bar_chart("Balken", categories, series))
        table = charts.data_table("Tabelle", categories, series, references=references)
        root = parse(table)
        places = charts.places_for(
            [v for s in series for v in s.numbers()] + ([float(target)] if references else [])
        )
        cells = [td.text for td in root.iter("td")]
        for item in series:
            for value in item.numbers():
                if value is not None:
                    assert charts.format_number(value, places) in cells


def test_chart_ids_are_unique_on_a_page_and_the_same_on_every_render():
    # A request starts: the counts begin anew (tests/core/test_head.py renders real pages).
    def ids() -> list[str]:
        charts._reset_ids()
        first = charts.bar_chart("Kitas", ["2024"], [3])
        second = charts.bar_chart("Kitas", ["2024"], [3])
        return [
            ET.fromstring(str(svg)).get("aria-labelledby").split()[0] for svg in (first, second)
        ]

    page = ids()
    assert page[0] != page[1]
    assert ids() == page
