"""The choropleth pages: the public map suppresses small numbers (not in the chart, not in the
breaks), the back-office map shows every figure to planners; bad options answer 400 or 404."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from quartier.monitoring.models import IndicatorKind
from tests.factories.areas import AreaFactory, link, square
from tests.factories.monitoring import IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def svg_of(page: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert match, "no map"
    return ET.fromstring(match.group(0))


def make_city(count: int, *, slug: str = "kartenstadt", values=None):
    """A city with `count` districts in a row, each with its number of children under three."""
    city = AreaFactory(name="Kartenstadt", slug=slug, kind__slug="stadt", kind__level=1)
    children = IndicatorFactory(slug="kinder-u3", name="Kinder unter drei", unit="Kinder")
    districts = []
    for i in range(count):
        district = AreaFactory(
            name=f"Bezirk {i + 1:02d}",
            slug=f"{slug}-bezirk-{i + 1}",
            kind__slug="stadtteil",
            kind__level=3,
            boundary=square(6.6 + 0.05 * i, 49.7),
        )
        link(city, district)
        districts.append(district)
        number = values[i] if values else (i + 1) * 10
        if number is not None:
            ValueFactory(indicator=children, area=district, year=2023, value=number)
    return city, children, districts


def public_url(city, indicator="kinder-u3", query=""):
    path = reverse("monitoring:map", kwargs={"slug": city.slug, "indicator": indicator})
    return path + query


def test_the_public_map_colours_the_districts_with_legend_and_table(client):
    city, _children, _districts = make_city(4)
    response = client.get(public_url(city), HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert response.status_code == 200
    root = svg_of(page)
    assert len(root.findall(f"{SVG}path")) == 4
    assert "4 Klassen nach Quantilen" in page or "4 classes by quantiles" in page
    assert "<caption>" in page and "Bezirk 03" in page


def test_the_public_map_hides_small_numbers_and_keeps_them_out_of_the_breaks(client):
    city, _children, _districts = make_city(4, values=[3, 40, 60, 80])
    page = client.get(public_url(city)).content.decode()
    root = svg_of(page)
    svg = ET.tostring(root, encoding="unicode")
    # The 3 children of Bezirk 01 appear nowhere: not in a title, the desc, the legend.
    assert not re.search(r"\b3 Kinder|: 3\b|\b3 (bis|to)\b", svg)
    titles = [p.find(f"{SVG}title").text for p in root.findall(f"{SVG}path")]
    assert titles[0].startswith("Bezirk 01: ") and titles[0].endswith(
        ("weniger als 5, nicht angezeigt", "fewer than 5, not shown")
    )
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-legend"]
    assert legend[0].startswith("40 ")


def test_the_backoffice_map_shows_every_figure_to_planners(world):
    city, _children, _districts = make_city(3, slug="bo-stadt", values=[3, 40, 60])
    link(world.city, city)  # inside the planner's city
    url = reverse("backoffice:monitoring:map") + "?area=bo-stadt&indicator=kinder-u3"
    page = world.client("planner").get(url).content.decode()
    titles = [p.find(f"{SVG}title").text for p in svg_of(page).findall(f"{SVG}path")]
    assert titles[0] == "Bezirk 01: 3 Kinder"


def test_the_backoffice_map_offers_only_the_users_areas(world):
    make_city(2, slug="fremde-stadt")  # not below the planner's city
    url = reverse("backoffice:monitoring:map") + "?area=fremde-stadt&indicator=kinder-u3"
    response = world.client("planner").get(url)
    assert response.status_code == 400 and "<svg" not in response.content.decode()
    assert world.client("admin").get(url).status_code == 200


def test_a_rate_is_hidden_when_its_numerator_is_small(client):
    city, children, districts = make_city(2, values=[100, 200])
    rate = IndicatorFactory(
        slug="u3-quote", kind=IndicatorKind.RATE, denominator=children, base=100, unit="%"
    )
    ValueFactory(indicator=rate, area=districts[0], year=2023, value=2)  # 2 children: hidden
    ValueFactory(indicator=rate, area=districts[1], year=2023, value=10)
    page = client.get(public_url(city, "u3-quote")).content.decode()
    desc = svg_of(page).find(f"{SVG}desc").text
    assert "Bezirk 02" in desc and re.search(r"(Keine Zahl|No figure): Bezirk 01", desc)


@pytest.mark.parametrize(
    "query",
    ["?kind=bundesland", "?year=1999", "?year=abc", "?method=jenks", "?classes=99"],
)
def test_bad_options_answer_400_with_a_message(client, query):
    city, _children, _districts = make_city(2)
    response = client.get(public_url(city, query=query))
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_unknown_area_or_indicator_is_not_found(client):
    city, _children, _districts = make_city(1)
    assert client.get(public_url(city, "gibt-es-nicht")).status_code == 404
    missing = reverse("monitoring:map", kwargs={"slug": "nirgends", "indicator": "kinder-u3"})
    assert client.get(missing).status_code == 404


def test_the_public_map_costs_the_same_queries_for_more_areas(client, django_assert_num_queries):
    small, _c, _d = make_city(3, slug="klein")
    big, _c, _d = make_city(12, slug="gross")
    client.get(public_url(small))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(public_url(small, query="?method=equal"))
    with CaptureQueriesContext(connection) as many:
        client.get(public_url(big, query="?method=equal"))
    assert len(many) == len(few) <= 10
