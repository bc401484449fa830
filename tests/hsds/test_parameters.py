"""The standard's list parameters: minimal, format=ndjson, full and postcode on
service_at_locations; proximity around a postcode; our OpenAPI names exactly these."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories.offers import LocationFactory, OfferFactory, OfferLocationFactory
from tests.hsds.client import get_json as _get
from tests.hsds.factories import build_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return build_catalogue()


def _lines(url: str) -> list[dict]:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    text = b"".join(response.streaming_content).decode()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_minimal_gives_id_name_status_and_modification(catalogue):
    page = _get("/api/hsds/services?minimal=true")
    assert page["total_items"] == 2
    assert [set(item) for item in page["contents"]] == [
        {"id", "name", "status", "last_modified"}
    ] * 2
    first = page["contents"][0]
    assert first["id"] == str(catalogue.offer.pk) and first["last_modified"].endswith("Z")


def test_minimal_pages_are_larger(catalogue):
    assert "warnings" not in _get("/api/hsds/services?minimal=true&per_page=1000")
    clamped = _get("/api/hsds/services?minimal=true&per_page=5000")
    assert clamped["per_page"] == 1000 and "1000" in clamped["warnings"][0]
    assert _get("/api/hsds/services?per_page=1000")["per_page"] == 100


def test_minimal_and_full_exclude_each_other(catalogue):
    body = _get("/api/hsds/services?minimal=true&full=true", 422)
    assert [e["field"] for e in body["errors"]] == ["minimal"]


def test_ndjson_streams_every_item_without_pages(catalogue):
    for n in range(3):
        OfferFactory(name=f"Zusatz {n}")
    items = _lines("/api/hsds/services?format=ndjson&per_page=1&page=3")
    assert len(items) == 5 and "total_items" not in items[0]
    assert [i["name"] for i in items] == sorted(i["name"] for i in items)
    assert _lines("/api/hsds/services?format=ndjson&minimal=true")[0].keys() == {
        "id",
        "name",
        "status",
        "last_modified",
    }
    full = _lines("/api/hsds/services?format=ndjson&full=true&search=Erziehungsberatung")
    assert [i["name"] for i in full] == ["Erziehungsberatung im Quartier"] and full[0]["phones"]


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("organizations", 2),
        ("service_at_locations", 1),
        ("taxonomy_terms", None),
        ("taxonomies", None),
    ],
)
def test_ndjson_on_every_list(catalogue, path, count):
    page = _get(f"/api/hsds/{path}")
    items = _lines(f"/api/hsds/{path}?format=ndjson")
    assert items == page["contents"]
    assert count is None or len(items) == count


def test_ndjson_query_budget_grows_per_chunk_only(catalogue, django_assert_max_num_queries):
    for n in range(250):
        OfferFactory(name=f"Zusatz {n}", topics=[catalogue.term])
    with django_assert_max_num_queries(60):  # three chunks of 100
        assert len(_lines("/api/hsds/services?format=ndjson&full=true")) == 252


@pytest.mark.parametrize("value", ["xml", "csv", "NDJSON", ""])
def test_unknown_format_is_refused(db, value):
    body = _get(f"/api/hsds/services?format={value}", 422)
    assert "format" in {e["field"] for e in body["errors"]}


def test_service_at_locations_full_nests_location_and_service(catalogue):
    brief = _get("/api/hsds/service_at_locations")["contents"][0]
    assert "addresses" not in brief["location"] and "phones" not in brief["service"]
    assert brief["location"]["name"] == "Stadtteilbüro"
    full = _get("/api/hsds/service_at_locations?full=true")["contents"][0]
    assert full["location"]["addresses"][0]["postal_code"] == "54294"
    assert full["service"]["phones"] and full["service"]["schedules"]


def test_postcode_filters_service_at_locations(catalogue):
    other = OfferFactory(name="Jugendtreff Ehrang")
    OfferLocationFactory(offer=other, location=LocationFactory(postcode="54293"))
    names = [i["service"]["name"] for i in _get("/api/hsds/service_at_locations")["contents"]]
    assert names == ["Erziehungsberatung im Quartier", "Jugendtreff Ehrang"]
    found = _get("/api/hsds/service_at_locations?postcode=54293")["contents"]
    assert [i["service"]["name"] for i in found] == ["Jugendtreff Ehrang"]
    assert _get("/api/hsds/service_at_locations?postcode=99999")["total_items"] == 0
    body = _get("/api/hsds/service_at_locations?postcode=" + "1" * 11, 422)
    assert "postcode" in {e["field"] for e in body["errors"]}


def test_proximity_counts_from_the_postcodes_centre(catalogue):
    # The catalogue's place in 54294 is at 49.7519, 6.6178; one about 1.1 km north in
    # another postcode, one 20 km away.
    near = OfferFactory(name="Jugendtreff Nord")
    OfferLocationFactory(
        offer=near, location=LocationFactory(postcode="54292", lat=49.7619, lon=6.6178)
    )
    far = OfferFactory(name="Jugendtreff Hermeskeil")
    OfferLocationFactory(
        offer=far, location=LocationFactory(postcode="54411", lat=49.6553, lon=6.9486)
    )

    def names(query: str) -> list[str]:
        found = _get(f"/api/hsds/service_at_locations?{query}")["contents"]
        return [item["service"]["name"] for item in found]

    assert names("postcode=54294&proximity=500") == ["Erziehungsberatung im Quartier"]
    assert names("postcode=54294&proximity=2000") == [
        "Erziehungsberatung im Quartier",
        "Jugendtreff Nord",
    ]
    assert "Jugendtreff Hermeskeil" in names("postcode=54294&proximity=30000")


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ("proximity=500", "proximity", "Postleitzahl"),
        ("postcode=54294&proximity=500&lat=49.75&lon=6.6", "proximity", "lat"),
        ("postcode=99999&proximity=500", "postcode", "Postleitzahl"),
        ("postcode=54294&proximity=0", "proximity", ""),
        ("postcode=54294&proximity=weit", "proximity", ""),
        ("postcode=54294&proximity=1000000", "proximity", ""),
    ],
)
def test_bad_proximity_is_refused_with_the_reason(catalogue, query, field, says):
    body = _get(f"/api/hsds/service_at_locations?{query}", 422)
    [error] = body["errors"]
    assert error["field"] == field and says in error["message"]


def test_a_draft_offers_place_does_not_make_a_postcode_known(catalogue):
    draft = OfferFactory(name="Entwurf", review_state="draft")
    OfferLocationFactory(
        offer=draft, location=LocationFactory(postcode="54295", lat=49.74, lon=6.65)
    )
    body = _get("/api/hsds/service_at_locations?postcode=54295&proximity=500", 422)
    assert body["errors"][0]["field"] == "postcode"


def _parameters(spec: dict, path: str) -> set[str]:
    return {p["name"] for p in spec["paths"][f"/api/hsds/{path}"]["get"].get("parameters", [])}


def test_our_openapi_names_exactly_what_each_list_supports(db):
    spec = _get("/api/openapi.json")
    paging = {"page", "per_page", "format"}
    offers = paging | {
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "full",
        "lat",
        "lon",
        "radius",
        "area",
    }
    assert _parameters(spec, "services") == offers | {"minimal"}
    assert _parameters(spec, "service_at_locations") == offers | {"postcode", "proximity"}
    assert _parameters(spec, "organizations") == paging | {"search", "full", "full_service"}
    assert _parameters(spec, "taxonomies") == paging | {"search"}
    assert _parameters(spec, "taxonomy_terms") == paging | {
        "search",
        "taxonomy_id",
        "parent_id",
        "top_only",
    }
