"""Directory API: public fields only; PATCH for those allowed; JSON errors."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories.directory import OrganisationFactory, PositionFactory

pytestmark = pytest.mark.django_db

INTERNAL = ("Nur intern", "0170 555 0000", "geheim@example.org", "internal_notes")


@pytest.fixture
def private_data(world):
    world.organisation.internal_notes = "Nur intern"
    world.organisation.save()
    person = world.person
    person.mobile, person.mobile_public = "0170 555 0000", False
    person.email, person.email_public = "geheim@example.org", False
    person.phone, person.phone_public = "0651 555 42", True
    person.save()
    # A hidden position at another organisation: never listed.
    PositionFactory(
        organisation=world.other_organisation, is_public=False, person__family_name="Verborgen"
    )
    return world


def _detail_url(world) -> str:
    return reverse("api:directory_organisation_detail", kwargs={"slug": world.organisation.slug})


def test_detail_shows_only_public_fields(private_data, client):
    response = client.get(_detail_url(private_data))
    assert response.status_code == 200
    text = response.content.decode()
    for secret in INTERNAL:
        assert secret not in text
    body = response.json()
    # The shared world also gives the organisation a public network contact (tests/oparl/world.py);
    # the sentinel people with internal or ended positions must not appear.
    assert body["contacts"] == [
        {
            "name": "Erika Beispiel",
            "role": "Leitung",
            "email": None,
            "phone": "0651 555 42",
            "mobile": None,
            "office_hours": None,
        },
        {
            "name": "Clara Kontakt",
            "role": "Netzwerkkontakt",
            "email": "clara@example.org",
            "phone": None,
            "mobile": None,
            "office_hours": None,
        },
    ]
    assert body["areas"] == ["nordviertel"]


def test_list_filters_by_area_including_subareas(world, client, django_assert_max_num_queries):
    OrganisationFactory.create_batch(5, areas=[world.other_city])
    url = reverse("api:directory_organisation_list")
    with django_assert_max_num_queries(10):
        response = client.get(url, {"area": world.city.slug})
    slugs = {item["slug"] for item in response.json()["items"]}
    assert world.organisation.slug in slugs
    assert world.other_organisation.slug not in slugs
    assert client.get(url).json()["count"] >= 7
    hidden = client.get(url, {"area": world.city.slug, "q": "Verborgen"}).json()
    assert hidden["count"] == 0
    for item in client.get(url).json()["items"]:
        assert "internal_notes" not in item


def test_unknown_area_and_organisation_give_json_404(world, client):
    response = client.get(reverse("api:directory_organisation_list"), {"area": "nirgendwo"})
    assert response.status_code == 404
    assert response.json()["message"]
    response = client.get(reverse("api:directory_organisation_detail", kwargs={"slug": "nix"}))
    assert response.status_code == 404
    assert "message" in response.json()


def _patch(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


def test_patch_by_editor_changes_and_audits(world):
    client = world.client("editor")
    response = _patch(client, _detail_url(world), {"phone": "0651 555 1", "areas": ["teststadt"]})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0651 555 1"
    assert response.json()["areas"] == ["teststadt"]
    world.organisation.refresh_from_db()
    assert world.organisation.history.latest().history_user == world.users["editor"]


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("resident", 403), ("editor", 200)]
)
def test_patch_permissions(world, role, status):
    response = _patch(world.client(role), _detail_url(world), {"name": "Neu"})
    assert response.status_code == status
    assert ("message" in response.json()) == (status != 200)


def test_patch_other_organisation_is_forbidden(world):
    url = reverse(
        "api:directory_organisation_detail", kwargs={"slug": world.other_organisation.slug}
    )
    assert _patch(world.client("editor"), url, {"name": "Neu"}).status_code == 403
    assert _patch(world.client("admin"), url, {"name": "Neu"}).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"lat": 91}, "lat"),
        ({"lon": -181}, "lon"),
        ({"name": ""}, "name"),
        ({"kind": "spaceship"}, "kind"),
        ({"email": "no-mail"}, "email"),
        ({"areas": ["nirgendwo"]}, "areas"),
        ({"lat": 49.0, "lon": None}, "lon"),
    ],
)
def test_patch_bad_input_gives_422_with_field_errors(world, data, field):
    response = _patch(world.client("editor"), _detail_url(world), data)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["message"]
    assert field in {error["field"] for error in body["errors"]}
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Nachbarschaftshaus Nord"


def test_patch_oversized_body_gives_413_json(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _patch(world.client("editor"), _detail_url(world), {"description": "x" * 5000})
    assert response.status_code == 413
    assert response.json()["message"]


def test_patch_unknown_organisation_gives_404(world):
    url = reverse("api:directory_organisation_detail", kwargs={"slug": "nix"})
    assert _patch(world.client("admin"), url, {"name": "X"}).status_code == 404
