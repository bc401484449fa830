"""The map's GeoJSON: the same result set as the list, places one by one up to a limit and
counted on a grid beyond it, always with the right numbers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartier.search import selectors
from quartier.search.services import SearchFilters
from tests.factories.offers import LocationFactory, OfferFactory

URL = "api:search_geojson"


@pytest.fixture
def spread(db):
    """40 offers on a line of places, every fourth at two places; 10 more elsewhere."""
    offers = []
    for number in range(40):
        places = [LocationFactory(lat=49.70 + number / 500, lon=6.60)]
        if number % 4 == 0:
            places.append(LocationFactory(lat=49.70 + number / 500, lon=6.70))
        offers.append(OfferFactory(name=f"Beratung {number}", locations=places))
    for number in range(10):
        place = LocationFactory(lat=49.75, lon=6.65)
        OfferFactory(name=f"Jugendtreff {number}", cost="fee", locations=[place])
    return offers


def test_places_one_by_one_with_link_and_total(client, spread):
    data = client.get(reverse(URL), {"q": "Beratung"}).json()
    assert data["type"] == "FeatureCollection"
    assert (data["total"], data["places"], data["clustered"]) == (40, 50, False)
    assert len(data["features"]) == 50
    feature = data["features"][0]
    assert feature["properties"]["url"].startswith("/angebote/")
    assert feature["properties"]["name"].startswith("Beratung")
    listed = client.get(reverse("api:search_offers_api"), {"q": "Beratung", "per_page": 100})
    assert {f["properties"]["offer"] for f in data["features"]} == {
        hit["id"] for hit in listed.json()["results"]
    }
    assert listed.json()["total"] == data["total"]


def test_bbox_limits_the_places(client, spread):
    data = client.get(reverse(URL), {"q": "Beratung", "bbox": "6.65,49.0,6.75,50.0"}).json()
    assert (data["total"], data["places"]) == (10, 10)
    assert all(f["geometry"]["coordinates"][0] == 6.7 for f in data["features"])


def test_beyond_the_limit_places_are_counted_on_a_grid(client, spread, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_FEATURES", 20)
    monkeypatch.setattr(selectors, "GRID", 4)
    data = client.get(reverse(URL), {"q": "Beratung"}).json()
    assert data["clustered"] is True
    assert (data["total"], data["places"]) == (40, 50)
    assert all(f["properties"]["cluster"] for f in data["features"])
    assert sum(f["properties"]["count"] for f in data["features"]) == 50
    assert len(data["features"]) < 50


def test_filters_apply_to_the_map_as_to_the_list(client, spread):
    params = {"q": "Jugendtreff", "bbox": "6,49,7,50"}
    assert client.get(reverse(URL), params).json()["total"] == 10
    OfferFactory(
        name="Jugendtreff kostenlos", cost="free", locations=[LocationFactory(lat=49.8, lon=6.6)]
    )
    free = {**params, "free": "on"}
    mapped = client.get(reverse(URL), free).json()
    assert mapped["total"] == 1
    assert client.get(reverse("api:search_offers_api"), free).json()["total"] == 1


def test_nothing_found_is_an_empty_collection(client, spread):
    data = client.get(reverse(URL), {"q": "Zahnarzt"}).json()
    assert data == {
        "type": "FeatureCollection",
        "features": [],
        "clustered": False,
        "total": 0,
        "places": 0,
    }


def test_many_hits_take_the_box_path_with_the_same_answer(spread, monkeypatch):
    filters = SearchFilters()
    by_id = selectors.geojson("Beratung", filters)
    monkeypatch.setattr(selectors, "BY_ID_LIMIT", 0)
    by_box = selectors.geojson("Beratung", filters)
    assert by_box["total"] == by_id["total"] == 40
    assert sorted(f["id"].rsplit("-", 1)[0] for f in by_box["features"]) == sorted(
        f["id"].rsplit("-", 1)[0] for f in by_id["features"]
    )


def test_query_count_does_not_grow_with_the_result(client, spread):
    """Warm budgets are asserted in test_facetindex.py; here: the same count for 1 and 50."""

    def queries(params):
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse(URL), params).status_code == 200
        return len(context.captured_queries)

    one = queries({"q": "Beratung 7", "bbox": "6,49,7,50"})
    assert one == queries({"q": "Beratung", "bbox": "6,49,7,50"})
