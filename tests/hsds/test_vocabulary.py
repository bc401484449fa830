"""Every taxonomy and term a response refers to is served: ours, the exchange taxonomy's and
Quartier's extension vocabulary (target groups, access, accessibility) that attributes use."""

from __future__ import annotations

import pytest

from quartier.api.hsds import ids
from tests.factories.directory import OrganisationFactory
from tests.factories.offers import TaxonomyTermFactory
from tests.hsds.client import get_json as _get
from tests.hsds.factories import add_exchange, build_catalogue

pytestmark = pytest.mark.django_db
EXTENSION = str(ids.EXTENSION_TAXONOMY_ID)


@pytest.fixture
def catalogue():
    c = build_catalogue()
    add_exchange(c)
    return c


def _references(value, terms: set, taxonomies: set) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "taxonomy_term_id":
                terms.add(item)
            elif key == "taxonomy_id":
                taxonomies.add(item)
            elif key == "parent_id" and "taxonomy_id" in value:
                terms.add(item)
            _references(item, terms, taxonomies)
    elif isinstance(value, list):
        for item in value:
            _references(item, terms, taxonomies)


def test_every_referenced_term_and_taxonomy_is_served(catalogue):
    terms: set[str] = set()
    taxonomies: set[str] = set()
    for url in (
        "/api/hsds/services?full=true",
        "/api/hsds/service_at_locations?full=true",
        "/api/hsds/organizations?full_service=true",
    ):
        _references(_get(url)["contents"], terms, taxonomies)
    assert ids.extension_term_id("target_group:eltern") in terms
    assert ids.extension_term_id("access:walk_in") in terms
    assert ids.extension_term_id(ids.WHEELCHAIR) in terms
    for term in terms:
        body = _get(f"/api/hsds/taxonomy_terms/{term}")
        assert body["id"] == term
        taxonomies.add(body["taxonomy_id"])
        assert body["taxonomy_detail"]["id"] == body["taxonomy_id"]
    assert EXTENSION in taxonomies and len(taxonomies) == 3
    listed = {t["id"] for t in _get("/api/hsds/taxonomies")["contents"]}
    assert taxonomies <= listed
    for taxonomy in taxonomies:
        assert _get(f"/api/hsds/taxonomies/{taxonomy}")["id"] == taxonomy


def test_extension_terms_are_listed_and_filtered(catalogue):
    page = _get(f"/api/hsds/taxonomy_terms?taxonomy_id={EXTENSION}&per_page=100")
    codes = [t["code"] for t in page["contents"]]
    assert codes[0] == "target_group:eltern" and "access:referral" in codes
    assert {t["taxonomy_detail"]["name"] for t in page["contents"]} == {"Quartier"}
    assert page["total_items"] == len(codes) == 7
    eltern = _get("/api/hsds/taxonomy_terms?search=elter")["contents"]
    assert [t["code"] for t in eltern] == ["target_group:eltern"]
    parent = catalogue.term.pk
    assert _get(f"/api/hsds/taxonomy_terms?parent_id={parent}")["total_items"] == 1
    ours = _get(f"/api/hsds/taxonomy_terms?taxonomy_id={catalogue.taxonomy.pk}")
    assert ours["total_items"] == 2
    top = _get("/api/hsds/taxonomy_terms?top_only=true&per_page=100")["contents"]
    assert "target_group:eltern" in {t["code"] for t in top}


def test_pages_run_through_ours_then_the_extension_without_gaps(catalogue):
    everything = _get("/api/hsds/taxonomy_terms?per_page=100")
    total = everything["total_items"]
    assert total == 6 + 7  # ours, the exchange taxonomy's, the extension's
    seen = []
    for page in range(1, (total + 1) // 2 + 1):
        chunk = _get(f"/api/hsds/taxonomy_terms?per_page=2&page={page}")
        assert chunk["total_items"] == total
        seen += chunk["contents"]
    assert seen == everything["contents"]
    assert everything["contents"][-1]["taxonomy_id"] == EXTENSION
    beyond = _get(f"/api/hsds/taxonomy_terms?per_page=5&page={total}")
    assert beyond["contents"] == [] and beyond["total_items"] == total


def test_taxonomies_list_the_extension_last_and_search_it(catalogue):
    names = [t["name"] for t in _get("/api/hsds/taxonomies")["contents"]]
    assert names == ["Austausch-Themen", "Quartier-Themen", "Quartier"]
    assert [t["name"] for t in _get("/api/hsds/taxonomies?search=austausch")["contents"]] == [
        "Austausch-Themen"
    ]
    assert _get("/api/hsds/taxonomies?search=nothing-like-it")["empty"]


@pytest.mark.parametrize(
    "path",
    [
        f"taxonomy_terms/{ids.extension_term_id('target_group:nobody')}",
        "taxonomy_terms/not-a-uuid",
        f"taxonomies/{ids.extension_term_id('access:walk_in')}",
    ],
)
def test_unknown_extension_ids_answer_404(catalogue, path):
    assert _get(f"/api/hsds/{path}", 404)["message"]


def test_vocabulary_query_budget(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        _get("/api/hsds/taxonomy_terms?per_page=100")
    with django_assert_max_num_queries(3):
        _get(f"/api/hsds/taxonomy_terms/{ids.extension_term_id('access:walk_in')}")


def test_name_searches_fold_case_beyond_ascii(catalogue):
    """SQLite's own LIKE and lower() fold only ASCII letters; "über" must find "Über"."""
    OrganisationFactory(name="Ärztehaus Trier-Süd", description="ÜBERWEISUNG an Fachärzte")
    TaxonomyTermFactory(taxonomy=catalogue.taxonomy, code="ueber", name="Übergang Schule–Beruf")
    found = _get("/api/hsds/organizations?search=ärztehaus")["contents"]
    assert [o["name"] for o in found] == ["Ärztehaus Trier-Süd"]
    assert _get("/api/hsds/organizations?search=überweisung")["total_items"] == 1
    terms = _get("/api/hsds/taxonomy_terms?search=übergang")["contents"]
    assert [t["name"] for t in terms] == ["Übergang Schule–Beruf"]
    assert _get("/api/hsds/taxonomy_terms?search=ÜBERGANG%20SCHULE")["total_items"] == 1
    assert [t["name"] for t in _get("/api/hsds/taxonomies?search=QUARTIER-")["contents"]] == [
        "Quartier-Themen"
    ]
    assert _get("/api/hsds/organizations?search=100%25")["empty"]  # a LIKE wildcard is text
