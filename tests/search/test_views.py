import pytest
from django.urls import reverse

from tests.factories.offers import LocationFactory, OfferFactory


@pytest.fixture
def many_offers(catalogue):
    for number in range(30):
        OfferFactory(
            name=f"Beratungsstelle {number}",
            locations=[LocationFactory(lat=49.70 + number / 1000, lon=6.60)],
        )


def test_search_page_lists_results_and_facets(client, catalogue):
    response = client.get(reverse("search:search"), {"q": "Beratung"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Schuldnerberatung der Caritas" in content
    assert "3 Angebote gefunden" in content
    assert 'rel="alternate" type="application/geo+json"' in content
    assert "Geheime Beratung" not in content


def test_search_page_works_as_htmx_partial(client, catalogue):
    response = client.get(reverse("search:search"), {"q": "Kita"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Kindertagesst" in response.content


def test_search_page_query_budget_does_not_grow(client, many_offers, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        response = client.get(reverse("search:search"), {"q": "Beratung", "free": "on"})
    assert response.status_code == 200


def test_geojson_query_budget_does_not_grow(client, many_offers, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        response = client.get(reverse("api:search_geojson"), {"bbox": "6,49,7,50"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert len(response.json()["features"]) == 34


def test_geojson_and_list_show_the_same_set(client, catalogue):
    listed = client.get(reverse("api:search_offers_api"), {"q": "Beratung"}).json()
    mapped = client.get(reverse("api:search_geojson"), {"q": "Beratung"}).json()
    assert {r["id"] for r in listed["results"]} == {
        f["properties"]["offer"] for f in mapped["features"]
    }


def test_api_returns_results_and_facets(client, catalogue):
    data = client.get(reverse("api:search_offers_api"), {"q": "Beratung", "lang": "ar"}).json()
    assert data["total"] == 2
    assert {option["value"]: option["count"] for option in data["facets"]["lang"]}["ar"] == 2
    assert data["facets"]["free"] == 1


def test_api_clamps_per_page_and_says_so(client, catalogue):
    data = client.get(reverse("api:search_offers_api"), {"per_page": 1_000_000}).json()
    assert data["per_page"] == 100
    assert data["notices"]


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "7,50,6,49"},
        {"bbox": "a,b,c"},
        {"lat": "91", "lon": "6"},
        {"lat": "abc", "lon": "6"},
        {"lat": "49.7"},
    ],
)
def test_api_rejects_bad_coordinates_with_a_reason(client, catalogue, params):
    response = client.get(reverse("api:search_geojson"), params)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] and body["errors"]


def test_search_page_explains_bad_bbox(client, catalogue):
    response = client.get(reverse("search:search"), {"bbox": "7,50,6,49"})
    assert response.status_code == 400
    assert "vertauscht" in response.content.decode() or "invert" in response.content.decode()


def test_guided_search_ranks_with_reasons(client, world, catalogue):
    from tests.factories.areas import AreaFactory

    area = AreaFactory(slug="trier-west", name="Trier-West", centre_lat=49.7555, centre_lon=6.6200)
    client.force_login(world.users["coordinator"])
    response = client.get(
        reverse("search:guided"),
        {"area": area.slug, "ages": "3", "topics": [catalogue["kita"].pk], "radius": "50"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    content = response.content.decode()
    assert "Kindertagesstätte St. Martin" in content


def test_guided_search_is_for_professionals(client, world):
    client.force_login(world.users["resident"])
    assert client.get(reverse("search:guided")).status_code == 403
