"""Trend charts of the monitoring: area against city per year, gaps for missing years, small
numbers suppressed in the chart as in the table (not recoverable from the SVG)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories.monitoring import ValueFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def svg_of(page: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert match, "no chart"
    return ET.fromstring(match.group(0))


def url(world, indicator, area=None):
    return reverse(
        "monitoring:trend", kwargs={"slug": (area or world.district).slug, "indicator": indicator}
    )


def test_the_trend_shows_area_and_city_per_year_with_a_gap(world):
    ValueFactory(indicator=world.indicator_residents, area=world.district, year=2020, value=1180)
    ValueFactory(indicator=world.indicator_residents, area=world.city, year=2021, value=100100)
    page = world.client("anonymous").get(url(world, "einwohner")).content.decode()
    root = svg_of(page)
    desc = root.find(f"{SVG}desc").text
    assert "Nordviertel: 2020: 1.180; 2023: 1.234" in desc and "Teststadt: 2021: 100.100" in desc
    # 2022 has no figure anywhere: the axis keeps the year, the table says so.
    labels = [t.text for t in root.findall(f"{SVG}text[@class='chart-label']")]
    assert labels == ["2020", "2021", "2022", "2023"]
    assert "<caption>" in page and 'scope="row">2022</th>' in page
    assert 'href="/sozialmonitoring/nordviertel/"' in page


def test_a_suppressed_figure_is_not_in_the_chart(world):
    client = world.client("anonymous")
    for slug in ("sgb2-haushalte", "sgb2-quote"):
        page = client.get(url(world, slug)).content.decode()
        root = svg_of(page)
        svg = ET.tostring(root, encoding="unicode")
        # The Nordviertel's 3 households (and its rate of 5 %) are hidden: no point of its
        # series, no figure in the text alternative or a tooltip; the city's figure is shown.
        titles = [t.text for t in root.iter(f"{SVG}title")]
        assert not any(t.startswith("Nordviertel") for t in titles[1:])
        desc = root.find(f"{SVG}desc").text
        assert desc.startswith(("Nordviertel: keine Zahlen.", "Nordviertel: no figures."))
        assert "Teststadt" in svg
        assert "weniger als 5" in page or "fewer than 5" in page


def test_the_area_table_links_to_the_trends(world):
    page = (
        world.client("anonymous")
        .get(reverse("monitoring:area", kwargs={"slug": world.district.slug}))
        .content.decode()
    )
    assert url(world, "einwohner") in page


def test_unknown_or_internal_indicators_are_not_found(world):
    world.indicator_sgb2.is_public = False
    world.indicator_sgb2.save()
    client = world.client("anonymous")
    assert client.get(url(world, "gibt-es-nicht")).status_code == 404
    assert client.get(url(world, "sgb2-haushalte")).status_code == 404


def test_an_area_without_figures_says_so(world):
    page = world.client("anonymous").get(url(world, "einwohner", world.other_city))
    assert page.status_code == 200 and "<svg" not in page.content.decode()
