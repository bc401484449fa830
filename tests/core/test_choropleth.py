"""The server-drawn choropleth: class breaks by quantiles and equal intervals, legend and
table, hatched areas without a figure, valid accessible SVG without style attributes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from quartier.core import choropleth
from tests.factories.areas import square

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def regions(values, note="weniger als 5, nicht angezeigt"):
    return [
        choropleth.Region(
            f"Gebiet {i}",
            square(6.60 + 0.05 * (i % 4), 49.70 + 0.05 * (i // 4)),
            value,
            "" if value is not None else note,
        )
        for i, value in enumerate(values)
    ]


def test_quantile_breaks_are_figures_of_the_map():
    breaks = choropleth.class_breaks(list(range(1, 11)), classes=5)
    assert breaks.low == 1 and breaks.uppers == (2, 4, 6, 8, 10)
    assert [breaks.of(v) for v in (1, 2, 3, 10)] == [0, 0, 1, 4]


def test_equal_interval_breaks_split_the_range():
    breaks = choropleth.class_breaks([0, 3, 10], classes=4, method=choropleth.EQUAL)
    assert breaks.uppers == (2.5, 5.0, 7.5, 10.0)
    assert [breaks.of(v) for v in (0, 3, 10)] == [0, 1, 3]


def test_ties_and_few_figures_merge_classes():
    assert choropleth.class_breaks([4, 4, 4, 9], classes=5).uppers == (4, 9)
    assert choropleth.class_breaks([7], classes=5).uppers == (7,)
    assert choropleth.class_breaks([None, None]) is None
    with pytest.raises(ValueError):
        choropleth.class_breaks([1, 2], method="jenks")


def test_the_map_states_its_classes_and_method_in_legend_caption_and_desc():
    chart = choropleth.choropleth("Kinder", regions(range(1, 11)), unit="%")
    assert chart.caption.startswith("5 Klassen nach Quantilen")
    assert "1: 1 bis 2; 2: über 2 bis 4" in chart.caption
    root = ET.fromstring(str(chart.svg))
    assert root.get("role") == "img"
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-legend"]
    assert legend == [
        "1 bis 2 %",
        "über 2 bis 4 %",
        "über 4 bis 6 %",
        "über 6 bis 8 %",
        "über 8 bis 10 %",
        "keine Zahl",
    ]
    desc = root.find(f"{SVG}desc").text
    assert "1 (1 bis 2 %): Gebiet 0, Gebiet 1." in desc
    # The class number on each area, so colour is not the only cue.
    numbers = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-area-class"]
    assert numbers == ["1", "1", "2", "2", "3", "3", "4", "4", "5", "5"]
    assert len(root.findall(f"{SVG}path")) == 10
    assert not re.search(r"\sstyle\s*=", str(chart))


def test_a_hidden_figure_is_hatched_and_not_in_the_breaks():
    chart = choropleth.choropleth("Kinder", regions([10, 20, None, 30]))
    assert chart.classes.low == 10 and chart.classes.uppers[-1] == 30
    root = ET.fromstring(str(chart.svg))
    fills = [p.get("fill") for p in root.findall(f"{SVG}path")]
    assert fills[2].startswith("url(#") and fills[2].endswith("-hatch)")
    titles = [p.find(f"{SVG}title").text for p in root.findall(f"{SVG}path")]
    assert titles[2] == "Gebiet 2: weniger als 5, nicht angezeigt"
    table = str(chart.table)
    assert "<caption>Kinder</caption>" in table and "weniger als 5, nicht angezeigt" in table


def test_the_table_lists_areas_without_a_boundary():
    items = [*regions([1, 2]), choropleth.Region("Ohne Grenze", None, 3)]
    chart = choropleth.choropleth("Test", items, method=choropleth.EQUAL, classes=3)
    assert "Ohne Grenze" in str(chart.table) and "Ohne Grenze" not in str(chart.svg)
    assert "gleicher Breite" in chart.caption and "nur in der Tabelle: 1" in chart.caption


def test_a_map_without_any_figure_or_boundary_is_still_valid_markup():
    chart = choropleth.choropleth("Leer", [choropleth.Region("A", {"type": "Point"}, None)])
    ET.fromstring(str(chart.svg))
    assert chart.classes is None and "A" in str(chart.table)
