"""Addresses resolved against the catalogue's own places (quartier/search/places.py), and the
search around them: page, API, messages."""

import pytest
from django.urls import reverse

from quartier.search import places
from tests.factories.areas import AreaFactory
from tests.factories.directory import OrganisationFactory
from tests.factories.offers import LocationFactory, OfferFactory

TRIER_MARKT = (49.7566, 6.6414)
TRIER_MUEHLE = (49.7480, 6.6270)
KONZ_MARKT = (49.7020, 6.5760)


def _org(name, street, postcode, city, point, **kwargs):
    return OrganisationFactory(
        name=name, street=street, postcode=postcode, city=city, lat=point[0], lon=point[1], **kwargs
    )


def _offer(name, street, postcode, city, point, **kwargs):
    organisation = _org(f"Träger {name}", "", "", "", (None, None))
    location = LocationFactory(
        organisation=organisation,
        street=street,
        postcode=postcode,
        city=city,
        lat=point[0],
        lon=point[1],
    )
    return OfferFactory(name=name, organisation=organisation, locations=[location], **kwargs)


@pytest.fixture
def gazetteer(db):
    """Offers at three addresses, one organisation elsewhere, an area; and one unpublished
    offer whose address must not be found."""
    offers = {
        "markt": _offer("Bürgerbüro am Markt", "Hauptmarkt 5", "54290", "Trier", TRIER_MARKT),
        "muehle": _offer("Familientreff Mühle", "Mühlenstraße 12", "54292", "Trier", TRIER_MUEHLE),
        "konz": _offer("Jugendtreff Konz", "Hauptmarkt 5", "54329", "Konz", KONZ_MARKT),
        "secret": _offer(
            "Entwurf", "Geheimweg 1", "54290", "Trier", (49.70, 6.70), review_state="draft"
        ),
    }
    _org("Caritasverband Trier", "Sichelstraße 10", "54290", "Trier", (49.7530, 6.6440))
    area = AreaFactory(slug="trier-nord", name="Trier-Nord", centre_lat=49.7700, centre_lon=6.6500)
    return {"offers": offers, "area": area}


def test_an_address_with_number_and_town_is_one_place(gazetteer):
    found = places.resolve("Hauptmarkt 5, Trier")
    assert [(p.label, p.lat, p.lon, p.kind) for p in found] == [
        ("Hauptmarkt 5, 54290 Trier", *TRIER_MARKT, "address")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Mühlenstraße 12 Trier",
        "muehlenstrasse 12",
        "MUHLENSTR. 12",
        "Mühlenstr 12, 54292",
        "mühlen 12",
    ],
)
def test_matching_ignores_case_umlauts_and_street_abbreviations(gazetteer, text):
    found = places.resolve(text)
    assert [p.label for p in found] == ["Mühlenstraße 12, 54292 Trier"]


def test_organisations_addresses_are_known_places(gazetteer):
    assert [p.label for p in places.resolve("Sichelstrasse 10")] == ["Sichelstraße 10, 54290 Trier"]


def test_an_area_name_is_its_centre(gazetteer):
    found = places.resolve("trier nord")
    assert [(p.label, p.lat, p.lon, p.kind) for p in found] == [("Trier-Nord", 49.77, 6.65, "area")]


def test_a_postcode_is_the_town_part_not_one_of_its_streets(gazetteer):
    found = places.resolve("54292")
    assert [(p.label, p.kind) for p in found] == [("54292 Trier", "town")]


def test_an_ambiguous_address_offers_the_choices(gazetteer):
    found = places.resolve("Hauptmarkt 5")
    assert {p.label for p in found} == {"Hauptmarkt 5, 54290 Trier", "Hauptmarkt 5, 54329 Konz"}


@pytest.mark.parametrize("text", ["Geheimweg 1", "Nirgendwo 7", "", "  ", "5", "%_'; --"])
def test_unknown_and_unpublished_places_are_not_found(gazetteer, text):
    assert places.resolve(text) == []


def test_house_numbers_match_whole(gazetteer):
    assert places.resolve("Hauptmarkt 54") == []


def test_resolving_costs_at_most_five_queries(gazetteer, django_assert_num_queries):
    with django_assert_num_queries(5):  # areas; towns, addresses of locations and organisations
        places.resolve("Hauptmarkt 5 Trier")
    with django_assert_num_queries(3):  # a town matches: no addresses
        assert [p.label for p in places.resolve("Konz")] == ["Konz"]
    with django_assert_num_queries(3):
        assert [p.label for p in places.resolve("54290")] == ["54290 Trier"]


# The search around an address: page and API.


def test_search_near_an_address_sorts_by_distance_and_shows_it(client, gazetteer):
    response = client.get(reverse("search:search"), {"address": "Mühlenstr. 12", "radius": "10"})
    assert response.status_code == 200
    html = response.content.decode()
    names = ["Familientreff Mühle", "Bürgerbüro am Markt", "Jugendtreff Konz"]
    positions = [html.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)
    assert "0 m entfernt" in html  # the offer at the address itself
    assert "1,4 km entfernt" in html  # the one at the market, 1.4 km away
    assert "Entwurf" not in html
    # The saved search keeps the point, not the address.
    assert "/benachrichtigungen/" in html
    assert "lat=49.748&amp;lon=6.627" in html


def test_search_near_an_address_speaks_english(client, gazetteer):
    response = client.get(
        reverse("search:search"),
        {"address": "Mühlenstr. 12", "radius": "10"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "1.4 km away" in response.content.decode()


def test_an_ambiguous_address_lists_links_to_each_place(client, gazetteer):
    response = client.get(reverse("search:search"), {"address": "Hauptmarkt 5", "page": "3"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "„Hauptmarkt 5“ kann mehrere Orte meinen: Bitte wählen Sie einen." in html
    assert 'href="/angebote/?address=Hauptmarkt+5%2C+54290+Trier"' in html
    assert 'href="/angebote/?address=Hauptmarkt+5%2C+54329+Konz"' in html
    assert 'aria-invalid="true"' in html
    followed = client.get("/angebote/", {"address": "Hauptmarkt 5, 54329 Konz"})
    assert followed.status_code == 200
    assert "Jugendtreff Konz" in followed.content.decode()


def test_an_unknown_address_says_what_to_give(client, gazetteer):
    response = client.get(reverse("search:search"), {"address": "Nirgendwo 7", "free": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kein hier bekannter Ort passt zu „Nirgendwo 7“." in html
    assert '<a href="#id_address">' in html
    english = client.get(
        reverse("search:search"), {"address": "Nirgendwo 7"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "No place known here matches “Nirgendwo 7”." in english.content.decode()


def test_an_address_wins_over_an_old_point_and_area(client, gazetteer):
    response = client.get(
        reverse("search:search"),
        {
            "address": "Hauptmarkt 5 Konz",
            "lat": "49.77",
            "lon": "6.65",
            "near": "trier-nord",
            "radius": "25",
        },
    )
    html = response.content.decode()
    assert html.index(">Jugendtreff Konz</a>") < html.index(">Bürgerbüro am Markt</a>")
    assert '<input type="hidden" name="lat" id="id_lat" value="">' in html


def test_a_point_can_be_removed_again(client, gazetteer):
    response = client.get(reverse("search:search"), {"lat": "49.7566", "lon": "6.6414"})
    html = response.content.decode()
    assert "Gesucht wird um den Punkt 49,7566, 6,6414." in html
    assert '<a href="/angebote/?">Punkt entfernen</a>' in html
    assert '<input type="hidden" name="lat" id="id_lat" value="49.7566">' in html


def test_use_my_location_is_offered_to_scripts_only_and_says_what_happens(client, gazetteer):
    html = client.get(reverse("search:search")).content.decode()
    assert '<div class="field locate" hidden>' in html
    assert 'id="use-location"' in html and 'aria-describedby="use-location-help"' in html
    assert "Quartier speichert ihn nicht" in html
    assert "js/near.js" in html


def test_api_searches_around_an_address(client, gazetteer):
    data = client.get(
        reverse("api:search_offers_api"), {"address": "muehlenstrasse 12", "radius": "2"}
    ).json()
    assert [r["name"] for r in data["results"]] == ["Familientreff Mühle", "Bürgerbüro am Markt"]
    assert data["results"][0]["distance_m"] == 0
    mapped = client.get(
        reverse("api:search_geojson"), {"address": "muehlenstrasse 12", "radius": "2"}
    ).json()
    assert mapped["total"] == 2


def test_api_explains_unknown_and_ambiguous_addresses(client, gazetteer):
    response = client.get(reverse("api:search_offers_api"), {"address": "Hauptmarkt 5"})
    assert response.status_code == 422
    messages = [e["message"] for e in response.json()["errors"] if e["field"] == "address"]
    assert "Es kann meinen: Hauptmarkt 5, 54329 Konz" in messages
    response = client.get(reverse("api:search_geojson"), {"address": "x" * 300})
    assert response.status_code == 422
