"""The HSDS read API: filters, extensions, bad input, privacy and query budgets."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.api.hsds import ids
from tests.factories.areas import AreaFactory, link
from tests.factories.offers import (
    LocationFactory,
    OfferFactory,
    OfferLocationFactory,
    TaxonomyTermFactory,
)
from tests.hsds.client import get_json as _get
from tests.hsds.factories import build_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return build_catalogue()


def _names(page: dict) -> list[str]:
    return [item["name"] for item in page["contents"]]


def test_services_list_only_public_offers(catalogue):
    page = _get("/api/hsds/services")
    assert _names(page) == ["Erziehungsberatung im Quartier", "Schuldnerberatung"]
    assert page["total_items"] == 2 and page["first_page"] and page["last_page"]
    assert page["contents"][1]["status"] == "temporarily closed"


@pytest.mark.parametrize("attr", ["draft", "ended"])
def test_unpublished_or_ended_offer_is_not_found(catalogue, attr):
    offer = getattr(catalogue, attr)
    assert _get(f"/api/hsds/services/{offer.pk}", 404)["message"]


# Fixed ids: parameters must be the same in every xdist worker.
UNKNOWN = "3f0c6a1e-9b7d-4c2a-8e51-0d2b7c9a4f10"


@pytest.mark.parametrize(
    "path",
    [
        "/api/hsds/services/not-a-uuid",
        f"/api/hsds/services/{UNKNOWN}",
        f"/api/hsds/organizations/{UNKNOWN}",
        "/api/hsds/organizations/123",
        f"/api/hsds/service_at_locations/{UNKNOWN}",
        f"/api/hsds/taxonomies/{UNKNOWN}",
        "/api/hsds/taxonomy_terms/'%20OR%201=1",
    ],
)
def test_bad_ids_answer_404_json(db, path):
    assert set(_get(path, 404)) == {"message"}


def test_per_page_of_a_million_is_clamped_and_said(catalogue):
    page = _get("/api/hsds/services?per_page=1000000")
    assert page["per_page"] == 100
    assert "100" in page["warnings"][0]


def test_paging(catalogue):
    first = _get("/api/hsds/services?per_page=1")
    second = _get("/api/hsds/services?per_page=1&page=2")
    beyond = _get("/api/hsds/services?per_page=1&page=9")
    assert first["total_pages"] == 2 and not first["last_page"]
    assert second["last_page"] and second["size"] == 1
    assert beyond["contents"] == [] and beyond["size"] == 0 and not beyond["empty"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lat=91&lon=6", "lat"),
        ("lat=49&lon=181", "lon"),
        ("lat=49.75", "lat"),
        ("radius=500", "radius"),
        ("lat=nan&lon=6", "lat"),
        ("lat=49&lon=6&radius=-5", "radius"),
        ("lat=49&lon=6&radius=1e9", "radius"),
        ("lat=abc&lon=6", "lat"),
        ("page=0", "page"),
        ("per_page=0", "per_page"),
        ("taxonomy_term_id=1%20OR%201", "taxonomy_term_id"),
        ("area=nowhere", "area"),
        ("modified_after=yesterday", "modified_after"),
    ],
)
def test_bad_parameters_answer_422_with_the_field(db, query, field):
    body = _get(f"/api/hsds/services?{query}", 422)
    assert body["message"]
    assert field in {error["field"] for error in body["errors"]}


def test_proximity_filter(catalogue):
    far = OfferFactory(name="Weit weg")
    OfferLocationFactory(offer=far, location=LocationFactory(lat=52.52, lon=13.40))
    near = _get("/api/hsds/services?lat=49.752&lon=6.618&radius=500")
    assert _names(near) == ["Erziehungsberatung im Quartier"]
    sal = _get("/api/hsds/service_at_locations?lat=52.52&lon=13.40&radius=1000")
    assert [item["service"]["name"] for item in sal["contents"]] == ["Weit weg"]


def test_area_filter_includes_the_areas_below(catalogue):
    city = AreaFactory(name="Trier", slug="trier")
    link(city, catalogue.area)
    assert _names(_get("/api/hsds/services?area=trier")) == ["Erziehungsberatung im Quartier"]


def test_area_filter_includes_the_offers_of_enclosing_areas(catalogue):
    city = AreaFactory(name="Trier", slug="trier")
    link(city, catalogue.area)
    sibling = AreaFactory(name="Trier-Süd", slug="trier-sued")
    link(city, sibling)
    OfferFactory(name="Stadtweite Beratung", areas=[city])
    OfferFactory(name="Nur im Süden", areas=[sibling])
    quarter = _names(_get(f"/api/hsds/services?area={catalogue.area.slug}"))
    assert quarter == ["Erziehungsberatung im Quartier", "Stadtweite Beratung"]


def test_taxonomy_and_organisation_filters(catalogue):
    by_term = _get(f"/api/hsds/services?taxonomy_term_id={catalogue.child_term.pk}")
    assert _names(by_term) == ["Erziehungsberatung im Quartier"]
    by_tax = _get(f"/api/hsds/services?taxonomy_id={catalogue.taxonomy.pk}")
    assert by_tax["total_items"] == 2
    org_id = ids.organisation_default(catalogue.organisation.pk)
    by_org = _get(f"/api/hsds/services?organization_id={org_id}")
    assert _names(by_org) == ["Erziehungsberatung im Quartier"]
    terms = _get(f"/api/hsds/taxonomy_terms?parent_id={catalogue.term.pk}")
    assert [t["name"] for t in terms["contents"]] == ["Erziehungsberatung"]
    top = _get(f"/api/hsds/taxonomy_terms?top_only=true&taxonomy_id={catalogue.taxonomy.pk}")
    assert [t["name"] for t in top["contents"]] == ["Beratung"]


def test_search_tolerates_syntax(catalogue):
    for text in ['"', "AND", "*", "NEAR(", "'; DROP TABLE offers_offer; --", "x" * 500]:
        assert _get(f"/api/hsds/services?search={text}")["total_items"] == 0
    assert _get("/api/hsds/services?search=schuldner")["total_items"] == 1


def test_only_public_contact_data_leaves(catalogue):
    text = Client().get(f"/api/hsds/services/{catalogue.offer.pk}").content.decode()
    assert "erika.muster@example.org" in text and "0170 111111" in text
    assert "0651 999999" not in text  # phone not marked public
    org = Client().get("/api/hsds/organizations?full=true").content.decode()
    assert "INTERN" not in org


def test_list_query_budget_does_not_grow(catalogue, django_assert_max_num_queries):
    for n in range(30):
        offer = OfferFactory(name=f"Zusatz {n}", topics=[catalogue.term])
        OfferLocationFactory(offer=offer)
    for url in (
        "/api/hsds/services?full=true&per_page=100",
        "/api/hsds/service_at_locations?per_page=100",
        "/api/hsds/organizations?full_service=true&per_page=100",
    ):
        with django_assert_max_num_queries(25):
            _get(url)


def test_detail_query_budget(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        _get(f"/api/hsds/services/{catalogue.offer.pk}")


def test_api_is_documented_in_our_openapi(db):
    spec = _get("/api/openapi.json")
    params = {p["name"] for p in spec["paths"]["/api/hsds/services"]["get"]["parameters"]}
    assert {"lat", "lon", "radius", "area", "search", "per_page"} <= params


def test_term_filter_finds_offers_filed_under_narrower_terms(catalogue):
    grandchild = TaxonomyTermFactory(
        taxonomy=catalogue.taxonomy,
        code="elternkurs",
        name="Elternkurs",
        parent=catalogue.child_term,
    )
    sibling = TaxonomyTermFactory(taxonomy=catalogue.taxonomy, code="freizeit", name="Freizeit")
    OfferFactory(name="Elternkurs am Abend", topics=[grandchild])
    OfferFactory(name="Spielplatzfest", topics=[sibling])
    top = _get(f"/api/hsds/services?taxonomy_term_id={catalogue.term.pk}")
    assert _names(top) == [
        "Elternkurs am Abend",
        "Erziehungsberatung im Quartier",
        "Schuldnerberatung",
    ]
    middle = _get(f"/api/hsds/services?taxonomy_term_id={catalogue.child_term.pk}")
    assert _names(middle) == ["Elternkurs am Abend", "Erziehungsberatung im Quartier"]
    sal = _get(f"/api/hsds/service_at_locations?taxonomy_term_id={catalogue.term.pk}")
    assert [item["service"]["name"] for item in sal["contents"]] == [
        "Erziehungsberatung im Quartier"
    ]
    assert _get(f"/api/hsds/services?taxonomy_term_id={UNKNOWN}")["total_items"] == 0
