"""The concerns map's GeoJSON through the answer cache (quartier/core/answercache.py): the
same bytes as without it, one query on a hit, a key that covers the query string, the
language and the host, retired by writes once they commit, errors never kept, ETags and 304."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartier.concerns import services
from quartier.concerns.models import Status
from quartier.core import answercache
from tests.factories.concerns import ConcernFactory

pytestmark = pytest.mark.django_db

URL = reverse("concerns:geojson")
BOX = "6.5,49.7,6.7,49.8"


def _point(world, **fields):
    return ConcernFactory(
        category=world.concern_category, area=world.district, lat=49.75, lon=6.64, **fields
    )


def _ids(response) -> set[int]:
    return {feature["properties"]["id"] for feature in response.json()["features"]}


def test_a_cached_map_is_byte_identical_and_costs_one_query(
    world, cached, django_assert_max_num_queries
):
    client = world.client("anonymous")
    for _ in range(3):
        _point(world)
    for query in ({"bbox": BOX}, {"bbox": BOX, "status": "received"}, {}):
        cached.QUARTIER_API_CACHE_SECONDS = 0
        plain = client.get(URL, query)
        cached.QUARTIER_API_CACHE_SECONDS = 60
        first = client.get(URL, query)
        with django_assert_max_num_queries(1):  # the content generation
            second = client.get(URL, query)
        assert plain.status_code == first.status_code == second.status_code == 200
        assert plain.content == first.content == second.content
        assert plain["Content-Type"] == second["Content-Type"] == "application/geo+json"
        assert plain["ETag"] == first["ETag"] == second["ETag"]
    assert len(answercache.local.entries) == 3


def test_the_key_covers_the_query_the_language_and_the_host(world, cached):
    client = world.client("anonymous")
    inside = _point(world)
    outside = ConcernFactory(
        category=world.concern_category, area=world.district, lat=50.5, lon=8.0
    )
    here = _ids(client.get(URL, {"bbox": BOX}))
    there = _ids(client.get(URL, {"bbox": "7.9,50.4,8.1,50.6"}))
    assert inside.pk in here and outside.pk not in here
    assert outside.pk in there and inside.pk not in there
    assert _ids(client.get(URL, {"bbox": BOX})) == here
    # The same parameters in another order: another entry.
    before = len(answercache.local.entries)
    client.get(f"{URL}?bbox={BOX}&status=received")
    client.get(f"{URL}?status=received&bbox={BOX}")
    assert len(answercache.local.entries) == before + 2
    before = len(answercache.local.entries)
    client.get(URL, {"bbox": BOX}, HTTP_ACCEPT_LANGUAGE="en")
    assert len(answercache.local.entries) == before + 1
    assert {key.split(":")[4] for key in answercache.local.entries} >= {"de", "en"}
    cached.ALLOWED_HOSTS = [*cached.ALLOWED_HOSTS, "other.example"]
    client.get(URL, {"bbox": BOX}, HTTP_HOST="other.example")
    assert len(answercache.local.entries) == before + 2


def test_a_write_retires_the_map_once_it_commits(world, cached, commit):
    client = world.client("anonymous")
    concern = _point(world)
    before = _ids(client.get(URL, {"bbox": BOX}))
    assert concern.pk in before
    with commit():
        added = _point(world)
    assert _ids(client.get(URL, {"bbox": BOX})) == before | {added.pk}
    with commit():
        services.concern_set_status(
            concern=added, status=Status.IN_PROGRESS, user=world.users["planner"]
        )
    features = client.get(URL, {"bbox": BOX}).json()["features"]
    assert {f["properties"]["status"] for f in features if f["properties"]["id"] == added.pk} == {
        Status.IN_PROGRESS
    }


def test_errors_are_not_cached(world, cached):
    client = world.client("anonymous")
    for _ in range(2):
        assert client.get(URL, {"bbox": "7,50,6,49"}).status_code == 400
        assert client.get(URL, {"status": "nonsense"}).status_code == 400
    assert not answercache.local.entries


def test_etag_and_conditional_get(world, cached, commit):
    client = world.client("anonymous")
    first = client.get(URL, {"bbox": BOX})
    etag = first["ETag"]
    assert etag.startswith('"') and "no-cache" in first["Cache-Control"]
    again = client.get(URL, {"bbox": BOX}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.head(URL, {"bbox": BOX}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with commit():
        _point(world)
    changed = client.get(URL, {"bbox": BOX}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    cached.QUARTIER_API_CACHE_SECONDS = 0
    plain = client.get(URL, {"bbox": BOX})
    assert plain["ETag"] == changed["ETag"]
    assert client.get(URL, {"bbox": BOX}, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
