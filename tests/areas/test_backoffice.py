"""Back-office area pages: scope, GeoJSON validation, parents, history."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quartier.areas.models import Area, AreaLink, Coverage
from tests.factories.areas import square

pytestmark = pytest.mark.django_db


def _data(world, **overrides) -> dict:
    data = {
        "kind": world.district.kind_id,
        "name": "Südviertel",
        "slug": "",
        "official_key": "",
        "description": "",
        "boundary_note": "angenähert",
        "centre_lat": "",
        "centre_lon": "",
        "is_public": "on",
        "boundary_text": json.dumps(square(6.6, 49.7)),
        "parents_full": [world.social_space.pk],
    }
    data.update(overrides)
    return data


def test_planner_creates_area_in_scope_with_boundary(world):
    client = world.client("planner")
    response = client.post(reverse("backoffice:areas:create"), _data(world))
    assert response.status_code == 302
    area = Area.objects.get(name="Südviertel")
    assert area.slug == "suedviertel"
    assert area.bbox_west == pytest.approx(6.6)
    assert area.has_centre
    assert list(area.parents.all()) == [world.social_space]
    record = area.history.get()
    assert record.history_user == world.users["planner"]


def test_planner_cannot_choose_a_parent_outside_scope(world):
    client = world.client("planner")
    response = client.post(
        reverse("backoffice:areas:create"), _data(world, parents_full=[world.other_city.pk])
    )
    assert response.status_code == 422
    assert not Area.objects.filter(name="Südviertel").exists()


def test_planner_needs_a_parent(world):
    response = world.client("planner").post(
        reverse("backoffice:areas:create"), _data(world, parents_full=[])
    )
    assert response.status_code == 422
    assert "übergeordnetes Gebiet" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "kein gültiges JSON"),
        (json.dumps({"type": "Point", "coordinates": [6.6, 49.7]}), "Polygon"),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
            ),
            "schneidet sich",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[200, 0], [201, 0], [201, 1], [200, 0]]]}
            ),
            "Koordinatenbereich",
        ),
    ],
)
def test_invalid_geojson_is_refused_with_a_message(world, text, message):
    response = world.client("admin").post(
        reverse("backoffice:areas:create"), _data(world, boundary_text=text)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Area.objects.filter(name="Südviertel").exists()


def test_boundary_can_be_uploaded_as_file(world):
    feature = {"type": "Feature", "properties": {"x": 1}, "geometry": square(7.0, 50.0)}
    upload = SimpleUploadedFile(
        "gebiet.geojson", json.dumps(feature).encode(), "application/geo+json"
    )
    response = world.client("admin").post(
        reverse("backoffice:areas:create"), _data(world, boundary_text="", boundary_file=upload)
    )
    assert response.status_code == 302
    area = Area.objects.get(name="Südviertel")
    assert area.boundary["type"] == "Polygon"
    assert area.bbox_south == pytest.approx(50.0)


def test_edit_keeps_links_outside_the_planners_scope(world):
    # The district also lies partly in the other city (outside the planner's scope).
    AreaLink.objects.create(
        parent=world.other_city, child=world.district, coverage=Coverage.PARTIAL
    )
    client = world.client("planner")
    url = reverse("backoffice:areas:edit", kwargs={"slug": world.district.slug})
    data = _data(
        world,
        name="Nordviertel",
        slug="nordviertel",
        parents_full=[],
        parents_partial=[world.city.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    links = dict(world.district.parent_links.values_list("parent__slug", "coverage"))
    assert links == {"teststadt": "partial", "anderstadt": "partial"}


def test_area_cannot_become_its_own_ancestor(world):
    url = reverse("backoffice:areas:edit", kwargs={"slug": world.city.slug})
    response = world.client("admin").post(
        url, _data(world, name="Teststadt", slug="teststadt", parents_full=[world.district.pk])
    )
    assert response.status_code == 422


def test_full_and_partial_parent_at_once_is_refused(world):
    response = world.client("admin").post(
        reverse("backoffice:areas:create"),
        _data(world, parents_partial=[world.social_space.pk]),
    )
    assert response.status_code == 422


def test_area_list_is_scoped_and_within_budget(world, django_assert_max_num_queries):
    from tests.budget import assert_queries_do_not_grow
    from tests.factories.areas import AreaFactory, link

    admin_client = world.client("admin")
    assert_queries_do_not_grow(
        lambda: admin_client.get(reverse("backoffice:areas:list")),
        # Outside the planner's city, so the scope below stays as it was.
        lambda n: [link(world.other_city, AreaFactory(kind=world.district.kind)) for _ in range(n)],
    )
    client = world.client("planner")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:areas:list"))
    names = {area.name for area in response.context["page"].object_list}
    assert names == {"Teststadt", "Sozialraum Nord", "Nordviertel"}
    admin = world.client("admin").get(reverse("backoffice:areas:list"))
    assert len(admin.context["page"].object_list) == Area.objects.count()


def test_history_shows_who_changed_what(world, django_assert_max_num_queries):
    client = world.client("admin")
    url = reverse("backoffice:areas:edit", kwargs={"slug": world.district.slug})
    client.post(url, _data(world, name="Nordviertel Neu", slug="nordviertel"))
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("backoffice:areas:history", kwargs={"slug": world.district.slug})
        )
    content = response.content.decode()
    assert "Nordviertel Neu" in content
    assert "admin" in content


def test_history_shows_changes_of_parent_links(world, django_assert_max_num_queries):
    client = world.client("admin")
    url = reverse("backoffice:areas:edit", kwargs={"slug": world.district.slug})
    # Move the district from the social space to the city, partly.
    client.post(
        url,
        _data(
            world,
            name="Nordviertel",
            slug="nordviertel",
            parents_full=[],
            parents_partial=[world.city.pk],
        ),
    )
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("backoffice:areas:history", kwargs={"slug": world.district.slug})
        )
    content = response.content.decode()
    assert "übergeordnetes Gebiet" in content
    assert "Teststadt (teilweise)" in content
    assert "Sozialraum Nord (ganz)" in content
