"""HSDS `search=` uses the search layer: German stemming, folding, compounds, synonyms, typos,
ranked by relevance, combinable with every other filter and paged by HSDS's own pages."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.search.models import Synonym
from tests.factories.offers import OfferFactory, TaxonomyTermFactory
from tests.hsds.client import get_json as _get
from tests.hsds.client import names as _names
from tests.hsds.factories import build_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    Synonym.objects.get_or_create(terms="Kita | Kindertagesstätte")
    c = build_catalogue()
    OfferFactory(name="Kindertagesstätte St. Martin", description="Betreuung ab einem Jahr.")
    OfferFactory(name="Familienbüro Trier-Nord", description="Anlaufstelle für Familien.")
    return c


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beratungen", {"Erziehungsberatung im Quartier", "Schuldnerberatung"}),
        ("Schuldnerberatung", {"Schuldnerberatung"}),
        ("Kita", {"Kindertagesstätte St. Martin"}),
        ("Familienbüro", {"Familienbüro Trier-Nord"}),
        ("Familienbuero", {"Familienbüro Trier-Nord"}),
        ("Schuldnerberatunk", {"Schuldnerberatung"}),  # one typo
    ],
)
def test_search_finds_what_the_search_page_finds(catalogue, text, expected):
    assert set(_names(f"/api/hsds/services?search={text}")) == expected
    search = _get(f"/api/search/offers?q={text}")
    assert {hit["name"] for hit in search["results"]} >= expected


def test_search_finds_no_unpublished_or_ended_offers(catalogue):
    assert _names("/api/hsds/services?search=Elterncafé") == []
    assert _names("/api/hsds/services?search=Sommerferienprogramm") == []


def test_search_orders_by_relevance(catalogue):
    OfferFactory(name="Anlaufstelle", description="Auch eine Schuldnerberatung gibt es hier.")
    names = _names("/api/hsds/services?search=Schuldnerberatung")
    assert names == ["Schuldnerberatung", "Anlaufstelle"]  # the name weighs more than A-Z
    assert _names("/api/hsds/services") == sorted(_names("/api/hsds/services"))


def test_search_combines_with_the_other_filters_and_pages(catalogue):
    other = TaxonomyTermFactory(taxonomy=catalogue.taxonomy, code="freizeit", name="Freizeit")
    OfferFactory(name="Beratung beim Spielen", topics=[other])
    term = catalogue.term.pk
    both = _get(f"/api/hsds/services?search=Beratung&taxonomy_term_id={term}&per_page=1")
    assert both["total_items"] == 2 and both["total_pages"] == 2
    second = _get(f"/api/hsds/services?search=Beratung&taxonomy_term_id={term}&per_page=1&page=2")
    pages = both["contents"] + second["contents"]
    assert {item["name"] for item in pages} == {
        "Erziehungsberatung im Quartier",
        "Schuldnerberatung",
    }
    at = _get("/api/hsds/service_at_locations?search=Erziehungsberatung")
    assert [item["service"]["name"] for item in at["contents"]] == [
        "Erziehungsberatung im Quartier"
    ]
    assert _get("/api/hsds/service_at_locations?search=Schuldnerberatung")["total_items"] == 0


@pytest.mark.parametrize("text", ['"', "*", "NEAR(", "'; DROP TABLE offers_offer; --", "x" * 500])
def test_text_without_a_searchable_word_finds_nothing(catalogue, text):
    assert _get("/api/hsds/services", 200)["total_items"] == 4
    page = Client().get("/api/hsds/services", {"search": text})
    assert page.status_code == 200 and page.json()["total_items"] == 0


def test_empty_search_is_no_filter(catalogue):
    assert _get("/api/hsds/services?search=")["total_items"] == 4


def test_search_query_budget(catalogue, django_assert_max_num_queries):
    for n in range(30):
        OfferFactory(name=f"Beratung {n}", topics=[catalogue.term])
    with django_assert_max_num_queries(25):
        page = _get("/api/hsds/services?search=Beratung&full=true&per_page=100")
    assert page["total_items"] == 32
