"""The public concerns map (GeoJSON by bounding box) at size: a bounded number of queries
whatever the number of points, and the same features as the model's own `feature()`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartier.concerns.models import Concern, Status
from quartier.concerns.views import GEOJSON_MAX, feature
from tests.factories.concerns import ConcernFactory

pytestmark = pytest.mark.django_db

BOX = {"bbox": "6.5,49.7,6.7,49.8"}


def _points(world, n: int, **fields) -> list[Concern]:
    return [
        ConcernFactory(
            category=world.concern_category,
            area=world.district,
            lat=49.75 + i * 0.0001,
            lon=6.64 + i * 0.0001,
            **fields,
        )
        for i in range(n)
    ]


def test_the_map_costs_the_same_queries_for_more_points(world, django_assert_max_num_queries):
    client = world.client("anonymous")
    url = reverse("concerns:geojson")
    _points(world, 3)
    with django_assert_max_num_queries(2) as few:
        small = client.get(url, BOX).json()
    _points(world, 30, status=Status.IN_PROGRESS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get(url, BOX).json()
    assert len(large["features"]) == len(small["features"]) + 30


def test_the_maps_rows_give_the_models_features(world):
    long_text = "Laterne   aus.\n\n" + "Sehr dunkel hier. " * 20
    blanks = "Anfang" + " " * 700 + "Ende"
    concerns = [
        *_points(world, 1, description=long_text, status=Status.FORWARDED),
        *_points(world, 1, description="Kurz."),
        *_points(world, 1, description=blanks),
    ]
    data = world.client("anonymous").get(reverse("concerns:geojson"), BOX).json()
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    for concern in concerns:
        concern.refresh_from_db()
        expected = feature(concern)
        got = by_id[concern.pk]
        if concern.description == blanks:
            # Only the first 600 characters are read; a summary cut in blanks says so.
            assert got["properties"]["summary"] == "Anfang…"
            continue
        assert got == expected
    assert data["truncated"] is False


def test_the_map_keeps_the_newest_points_when_it_truncates(world, settings, monkeypatch):
    monkeypatch.setattr("quartier.concerns.views.GEOJSON_MAX", 2)
    made = _points(world, 4)
    data = world.client("anonymous").get(reverse("concerns:geojson"), BOX).json()
    assert data["truncated"] is True
    ids = [f["properties"]["id"] for f in data["features"]]
    assert ids == [made[-1].pk, made[-2].pk]
    assert GEOJSON_MAX == 5000  # the constant itself is unchanged outside this test


def test_merged_duplicates_and_concerns_without_a_place_stay_off_the_map(world):
    merged = _points(world, 1, status=Status.MERGED)[0]
    nowhere = ConcernFactory(category=world.concern_category, area=world.district)
    data = world.client("anonymous").get(reverse("concerns:geojson")).json()
    ids = {f["properties"]["id"] for f in data["features"]}
    assert merged.pk not in ids and nowhere.pk not in ids
