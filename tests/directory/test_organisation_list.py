"""The public index of organisations (/organisationen/): filters, paging, public contacts only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.areas import AreaFactory, link
from tests.factories.directory import OrganisationFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db
URL = "directory:organisation_list"


def _names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


def test_lists_active_organisations_with_public_contacts_only(client):
    organisation = OrganisationFactory(name="Caritas Trier", phone="0651 1234")
    OrganisationFactory(name="Aufgelöster Verein", is_active=False)
    PositionFactory(
        organisation=organisation,
        person=PersonFactory(given_name="Anna", family_name="Öffentlich"),
        role="Beratung",
    )
    PositionFactory(
        organisation=organisation,
        person=PersonFactory(given_name="Bernd", family_name="Intern", phone_public=False),
        is_public=False,
    )
    response = client.get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert _names(response) == ["Caritas Trier"]
    assert "Anna Öffentlich" in html and "Beratung" in html
    assert "Intern" not in html
    assert "0651 000000" not in html  # the person's phone is not public
    assert 'href="tel:0651 1234"' in html
    assert html.count("<h1") == 1
    assert 'role="search"' in html


def test_filters_by_words_kind_and_area_including_areas_below(client):
    city = AreaFactory(name="Trier", slug="trier")
    district = AreaFactory(name="Trier-West", slug="trier-west")
    link(city, district)
    elsewhere = AreaFactory(name="Konz", slug="konz")
    OrganisationFactory(name="Jugendtreff West", kind="association", areas=[district])
    OrganisationFactory(name="Kita Sonnenschein", kind="kita", areas=[district])
    OrganisationFactory(name="Jugendtreff Konz", kind="association", areas=[elsewhere])
    get = lambda query: _names(client.get(reverse(URL) + query))  # noqa: E731
    assert get("?q=jugendtreff") == ["Jugendtreff Konz", "Jugendtreff West"]
    assert get("?q=jugendtreff+west") == ["Jugendtreff West"]
    assert get("?area=trier") == ["Jugendtreff West", "Kita Sonnenschein"]
    assert get("?area=trier&kind=kita") == ["Kita Sonnenschein"]
    assert get("?kind=school") == []


def test_pages_keep_the_filters(client, django_assert_max_num_queries):
    for n in range(25):
        organisation = OrganisationFactory(name=f"Verein {n:02d}")
        PositionFactory(organisation=organisation)
    with django_assert_max_num_queries(8):
        first = client.get(reverse(URL) + "?q=Verein")
    assert len(_names(first)) == 20
    assert 'href="?q=Verein&amp;page=2"' in first.content.decode()
    second = client.get(reverse(URL) + "?q=Verein&page=2")
    assert _names(second) == [f"Verein {n}" for n in range(20, 25)]
    # A page number past the end shows the last page, never an error.
    assert client.get(reverse(URL) + "?page=99").status_code == 200


@pytest.mark.parametrize("query", ["?area=gibt-es-nicht", "?kind=raumschiff", "?q=" + "x" * 101])
def test_bad_filters_answer_400_with_the_error(client, query):
    OrganisationFactory(name="Caritas Trier")
    response = client.get(reverse(URL) + query)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_the_index_is_in_the_navigation_and_linked_from_an_organisation(client):
    organisation = OrganisationFactory(name="Caritas Trier")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f'href="{reverse(URL)}"' in html
    header = html[html.index("<header") : html.index("</header>")]
    assert f'href="{reverse(URL)}"' in header


def test_area_page_links_to_its_organisations(client):
    area = AreaFactory(name="Trier-West", slug="trier-west", is_public=True)
    OrganisationFactory(name="Jugendtreff West", areas=[area])
    html = client.get(area.get_absolute_url()).content.decode()
    assert f'href="{reverse(URL)}?area=trier-west"' in html


def test_the_index_refuses_writes(client):
    assert client.post(reverse(URL)).status_code == 405
