"""Coverage ("Versorgung"): offers serving each area (its own, those of areas in it and of the
enclosing city) against the people they are for, the median and the areas furthest below it,
who may see it, bad input, and a query count that does not grow with the areas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartier.monitoring import coverage
from quartier.offers.models import ReviewState
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY
from tests.factories.areas import AreaFactory, link, square
from tests.factories.monitoring import IndicatorFactory, ValueFactory
from tests.factories.offers import (
    OfferFactory,
    ScheduleFactory,
    TargetGroupFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(world):
    """Versorgungsstadt (inside the planner's Teststadt) with districts A-D; children under
    three: A 100, B 200, C 50, D none. Offers of "Frühe Hilfen" (or its narrower term): one for
    the whole city (3 h a week), one in A (22:00-06:00, 8 h), one in a quarter inside C (no
    hours); not counted: another topic in B, a draft in A."""
    city = AreaFactory(name="Versorgungsstadt", slug="vstadt", kind__slug="stadt", kind__level=1)
    link(world.city, city)
    districts = {}
    for i, name in enumerate("ABCD"):
        districts[name] = AreaFactory(
            name=f"Bezirk {name}",
            slug=f"vstadt-{name.lower()}",
            kind__slug="stadtteil",
            kind__level=3,
            boundary=square(6.6 + 0.05 * i, 49.7),
        )
        link(city, districts[name])
    quarter = AreaFactory(
        name="Wohnquartier C1", slug="vstadt-c1", kind__slug="quartier", kind__level=4
    )
    link(districts["C"], quarter)
    taxonomy = TaxonomyFactory(slug=SOCIAL_SPACE_TAXONOMY, name="Sozialraum")
    early = TaxonomyTermFactory(taxonomy=taxonomy, code="fh", name="Frühe Hilfen")
    midwives = TaxonomyTermFactory(
        taxonomy=taxonomy, code="fh-hebammen", name="Familienhebammen", parent=early
    )
    other = TaxonomyTermFactory(taxonomy=taxonomy, code="schulden", name="Schuldnerberatung")
    parents = TargetGroupFactory(slug="eltern", name="Eltern")
    city_wide = OfferFactory(
        name="Babylotsen", topics=[early], target_groups=[parents], areas=[city]
    )
    ScheduleFactory(offer=city_wide)  # Monday 9-12
    in_a = OfferFactory(name="Hebammensprechstunde A", topics=[midwives], areas=[districts["A"]])
    ScheduleFactory(offer=in_a, weekday=1, opens_at="22:00", closes_at="06:00")
    OfferFactory(name="Elterncafé C1", topics=[early], areas=[quarter])
    OfferFactory(name="Schuldnerberatung B", topics=[other], areas=[districts["B"]])
    OfferFactory(
        name="Entwurf A", topics=[early], areas=[districts["A"]], review_state=ReviewState.DRAFT
    )
    children = IndicatorFactory(slug="kinder-u3", name="Kinder unter drei")
    for name, number in (("A", 100), ("B", 200), ("C", 50)):
        ValueFactory(indicator=children, area=districts[name], year=2023, value=number)
    return {"city": city, "districts": districts, "early": early, "parents": parents,
            "children": children}  # fmt: skip


def rows_by_name(result):
    return {row.area.name: row for row in result.rows}


def test_offers_of_the_city_and_of_areas_inside_count_for_each_district(place):
    districts = list(place["districts"].values())
    result = coverage.coverage(
        districts, indicator=place["children"], topic=place["early"], per=100
    )
    rows = rows_by_name(result)
    assert {name: row.offers for name, row in rows.items()} == {
        "Bezirk A": 2, "Bezirk B": 1, "Bezirk C": 2, "Bezirk D": 1,
    }  # fmt: skip
    assert rows["Bezirk A"].ratio == pytest.approx(2.0)
    assert rows["Bezirk B"].ratio == pytest.approx(0.5)
    assert rows["Bezirk C"].ratio == pytest.approx(4.0)
    assert rows["Bezirk D"].ratio is None and rows["Bezirk D"].note in ("keine Daten", "no data")
    assert result.median == pytest.approx(2.0) and result.year == 2023
    assert [row.area.name for row in result.below] == ["Bezirk B"]
    assert result.offers_total == 3


def test_weekly_hours_weight_the_offers_and_overnight_hours_count(place):
    districts = list(place["districts"].values())
    result = coverage.coverage(
        districts, indicator=place["children"], topic=place["early"], weight=coverage.HOURS,
        per=100,
    )  # fmt: skip
    rows = rows_by_name(result)
    assert rows["Bezirk A"].weight == pytest.approx(11.0)  # 3 h city-wide + 8 h overnight
    assert rows["Bezirk C"].weight == pytest.approx(3.0) and rows["Bezirk C"].without_hours == 1
    assert rows["Bezirk B"].ratio == pytest.approx(1.5)


def test_a_target_group_filters_the_offers(place):
    districts = list(place["districts"].values())
    result = coverage.coverage(
        districts, indicator=place["children"], target_group=place["parents"], per=100
    )
    assert {row.offers for row in result.rows} == {1}


def test_zero_people_is_no_data_not_a_division_by_zero(place):
    ValueFactory(indicator=place["children"], area=place["districts"]["D"], year=2023, value=0)
    result = coverage.coverage(list(place["districts"].values()), indicator=place["children"])
    assert rows_by_name(result)["Bezirk D"].ratio is None


def url(query=""):
    return reverse("backoffice:monitoring:coverage") + query


QUERY = "?area=vstadt&kind=stadtteil&topic={topic}&weight=offers&indicator=kinder-u3&per=100"


def test_the_page_names_the_areas_furthest_below_the_median(world, place):
    response = world.client("planner").get(
        url(QUERY.format(topic=place["early"].pk)), HTTP_ACCEPT_LANGUAGE="de"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Am weitesten unter dem Median: Bezirk B." in page
    assert "<svg" in page and "keine Daten" in page and "<caption>" in page


def test_coordinators_see_small_populations_suppressed(world, place):
    ValueFactory(indicator=place["children"], area=place["districts"]["D"], year=2023, value=3)
    link(world.social_space, place["city"])  # inside the coordinator's social space
    page = world.client("coordinator").get(url(QUERY.format(topic=place["early"].pk)))
    text = page.content.decode()
    assert page.status_code == 200
    assert "weniger als 5" in text or "fewer than 5" in text
    planner = world.client("planner").get(url(QUERY.format(topic=place["early"].pk)))
    assert "weniger als 5" not in planner.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "resident", "editor"])
def test_residents_and_others_cannot_see_the_coverage(world, place, role):
    response = world.client(role).get(url(QUERY.format(topic=place["early"].pk)))
    assert response.status_code in (302, 403)
    assert "Bezirk B" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?area=vstadt&kind=stadtteil&topic=00000000-0000-0000-0000-000000000000&weight=offers&indicator=kinder-u3&per=100",
        "?area=vstadt&kind=stadtteil&topic=kein-uuid&weight=offers&indicator=kinder-u3&per=100",
        "?area=vstadt&kind=stadtteil&weight=offers&indicator=gibt-es-nicht&per=100",
        "?area=vstadt&kind=stadtteil&weight=offers&indicator=kinder-u3&per=7",
        "?area=vstadt&kind=land&weight=offers&indicator=kinder-u3&per=100",
        "?area=vstadt&weight=offers&indicator=kinder-u3&per=100&year=1990",
        "?area=vstadt&target_group=gibt-es-nicht&weight=offers&indicator=kinder-u3&per=100",
    ],
)
def test_bad_input_is_a_form_error(world, place, query):
    response = world.client("planner").get(url(query))
    assert response.status_code == 400 and 'class="error"' in response.content.decode()


def test_a_rate_is_not_a_population(world, place):
    from quartier.monitoring.models import IndicatorKind

    IndicatorFactory(slug="quote", kind=IndicatorKind.RATE, denominator=place["children"])
    response = world.client("planner").get(
        url("?area=vstadt&weight=offers&indicator=quote&per=100")
    )
    assert response.status_code == 400


def test_the_query_count_does_not_grow_with_the_areas(world, place):
    client = world.client("planner")
    query = QUERY.format(topic=place["early"].pk) + "&weight=hours"
    client.get(url(query))
    with CaptureQueriesContext(connection) as few:
        client.get(url(query))
    for i in range(8):
        extra = AreaFactory(
            name=f"Bezirk X{i}", slug=f"vstadt-x{i}", kind__slug="stadtteil",
            boundary=square(6.6 + 0.05 * i, 49.8),
        )  # fmt: skip
        link(place["city"], extra)
        ValueFactory(indicator=place["children"], area=extra, year=2023, value=10 + i)
        OfferFactory(name=f"Angebot X{i}", topics=[place["early"]], areas=[extra])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(query))
    assert response.content.decode().count('scope="row">Bezirk') >= 12
    assert len(many) == len(few)
