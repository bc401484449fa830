"""Public area and organisation pages: the directory section, public fields only, budgets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.directory import OrganisationFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_area_page_lists_organisations_below_it_with_public_contacts(
    world, client, django_assert_max_num_queries
):
    for index in range(5):
        organisation = OrganisationFactory(name=f"Treff {index}", areas=[world.district])
        PositionFactory(
            organisation=organisation, person__phone="0651 555 0", person__phone_public=True
        )
    world.person.mobile, world.person.mobile_public = "0170 555 99", False
    world.person.save()
    url = reverse("areas:detail", kwargs={"slug": world.city.slug})
    with django_assert_max_num_queries(30):
        response = client.get(url)
    content = response.content.decode()
    assert "Organisationen und Ansprechpersonen" in content
    assert "Nachbarschaftshaus Nord" in content  # works in the district, below the city
    assert "Erika Beispiel" in content
    assert "0170 555 99" not in content
    assert "Verein Anderstadt" not in content
    assert 'rel="alternate" type="application/geo+json"' in content


def test_organisation_page_within_budget(world, client, django_assert_max_num_queries):
    url = reverse("directory:organisation", kwargs={"slug": world.organisation.slug})
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert "Erika Beispiel" in response.content.decode()


def test_unknown_area_gives_404_page(client, db):
    response = client.get(reverse("areas:detail", kwargs={"slug": "nirgendwo"}))
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht." in response.content.decode()


def test_picker_works_without_javascript_and_as_fragment(world, client):
    url = reverse("areas:picker")
    full = client.get(url, {"q": "Nord"})
    assert "<html" in full.content.decode() and "Nordviertel" in full.content.decode()
    fragment = client.get(url, {"q": "Nord"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert "Nordviertel" in fragment.content.decode()
