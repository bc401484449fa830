"""Back-office pages for organisations and people: scope, audit, per-field flags."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartier.directory.models import Organisation, Person, Position
from tests.factories.directory import OrganisationFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _org_data(organisation, **overrides) -> dict:
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "parent": "",
        "description": "Offener Treff",
        "street": organisation.street,
        "postcode": organisation.postcode,
        "city": organisation.city,
        "lat": organisation.lat,
        "lon": organisation.lon,
        "areas": [a.pk for a in organisation.areas.all()],
        "website": "",
        "email": organisation.email,
        "phone": "",
        "internal_notes": "Schlüssel beim Hausmeister",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_editor_edits_own_organisation_and_history_names_them(world):
    client = world.client("editor")
    url = reverse(
        "backoffice:directory:organisation_edit", kwargs={"slug": world.organisation.slug}
    )
    response = client.post(url, _org_data(world.organisation, phone="0651 555 1234"))
    assert response.status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.phone == "0651 555 1234"
    record = world.organisation.history.latest()
    assert record.history_user == world.users["editor"]
    history = client.get(
        reverse(
            "backoffice:directory:organisation_history", kwargs={"slug": world.organisation.slug}
        )
    )
    assert "0651 555 1234" in history.content.decode()


def test_editor_cannot_edit_another_organisation(world):
    url = reverse(
        "backoffice:directory:organisation_edit", kwargs={"slug": world.other_organisation.slug}
    )
    response = world.client("editor").post(url, _org_data(world.other_organisation, name="X"))
    assert response.status_code == 403
    world.other_organisation.refresh_from_db()
    assert world.other_organisation.name == "Verein Anderstadt"


def test_invalid_coordinates_are_refused(world):
    url = reverse(
        "backoffice:directory:organisation_edit", kwargs={"slug": world.organisation.slug}
    )
    response = world.client("editor").post(url, _org_data(world.organisation, lat="95", lon="6"))
    assert response.status_code == 422
    response = world.client("editor").post(url, _org_data(world.organisation, lat="49", lon=""))
    assert response.status_code == 422
    world.organisation.refresh_from_db()
    assert world.organisation.lat == 49.75


def test_planner_creates_organisation_with_generated_slug(world):
    client = world.client("planner")
    data = _org_data(world.organisation, name="Jugendtreff Süd", slug="", areas=[world.district.pk])
    response = client.post(reverse("backoffice:directory:organisation_create"), data)
    assert response.status_code == 302
    created = Organisation.objects.get(name="Jugendtreff Süd")
    assert created.slug == "jugendtreff-sued"
    assert list(created.areas.all()) == [world.district]


def test_organisation_list_is_scoped(world, django_assert_max_num_queries):
    OrganisationFactory.create_batch(5, areas=[world.other_city])
    client = world.client("planner")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:directory:organisation_list"))
    names = {o.name for o in response.context["page"].object_list}
    assert "Nachbarschaftshaus Nord" in names
    assert "Verein Anderstadt" not in names
    admin = world.client("admin").get(reverse("backoffice:directory:organisation_list"))
    assert len(admin.context["page"].object_list) == Organisation.objects.count()


def test_add_contact_person_creates_person_and_position_together(world):
    client = world.client("coordinator")
    url = reverse("backoffice:directory:person_create", kwargs={"slug": world.organisation.slug})
    data = {
        "person-given_name": "Lina",
        "person-family_name": "Probe",
        "person-email": "lina.probe@example.org",
        "person-email_public": "on",
        "person-phone": "0651 555 77",
        "position-role": "Quartiersmanagerin",
        "position-is_public": "on",
        "position-start_date": "",
    }
    assert client.post(url, data).status_code == 302
    person = Person.objects.get(family_name="Probe")
    assert person.positions.get().organisation == world.organisation
    # A bad position leaves no person behind.
    data.update({"person-family_name": "Halb", "position-role": ""})
    assert client.post(url, data).status_code == 422
    assert not Person.objects.filter(family_name="Halb").exists()


def test_person_edit_sets_public_flags(world):
    client = world.client("editor")
    url = reverse("backoffice:directory:person_edit", kwargs={"pk": world.person.pk})
    data = {
        "title": "",
        "given_name": "Erika",
        "family_name": "Beispiel",
        "email": "erika@example.org",
        "phone": "0651 555 99",
        "phone_public": "on",
        "mobile": "0170 555 11",
        "office_hours": "",
    }
    assert client.post(url, data).status_code == 302
    world.person.refresh_from_db()
    assert world.person.public_contact() == {"phone": "0651 555 99"}
    page = client.get(reverse("directory:organisation", kwargs={"slug": world.organisation.slug}))
    content = page.content.decode()
    assert "0651 555 99" in content
    assert "0170 555 11" not in content
    assert "erika@example.org" not in content


def test_person_list_within_budget(world, django_assert_max_num_queries):
    from tests.budget import assert_queries_do_not_grow

    client = world.client("admin")
    assert_queries_do_not_grow(
        lambda: client.get(reverse("backoffice:directory:person_list")),
        lambda n: PositionFactory.create_batch(n, organisation=world.organisation),
    )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("backoffice:directory:person_list"))
    assert "Beispiel" in response.content.decode()


def test_position_end(world):
    position = world.person.positions.get()
    client = world.client("editor")
    response = client.post(reverse("backoffice:directory:position_end", kwargs={"pk": position.pk}))
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.end_date is not None
    assert not Position.objects.public().filter(pk=position.pk).exists()


def test_unknown_ids_give_the_404_page(world):
    client = world.client("admin")
    response = client.get(reverse("backoffice:directory:person_edit", kwargs={"pk": 999999}))
    assert response.status_code == 404
    assert "gibt es nicht" in response.content.decode()
