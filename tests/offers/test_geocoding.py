"""Offers: a location saved with an address but without a point gets one (core/geocoding.py),
records where it came from, and the editor is told; the back office lists what is on no map."""

import pytest
from django.urls import reverse

from quartier.core import geocoding
from quartier.core.geocoding import Source
from quartier.offers import services
from quartier.offers.models import Location, Offer
from quartier.offers.snapshot import offer_snapshot
from tests.factories.offers import LocationFactory, OfferFactory
from tests.offers.test_views import _post_data

pytestmark = pytest.mark.django_db

CENTRE_54294 = (49.744, 6.6188)


@pytest.fixture(autouse=True)
def _no_wait(offline_geocoder, monkeypatch):
    monkeypatch.setattr(geocoding, "_MIN_INTERVAL", 0.0)


def _without_point(**overrides):
    return _post_data(
        **{
            "locations-0-street": "Am Stern 12",
            "locations-0-postcode": "54294",
            "locations-0-lat": "",
            "locations-0-lon": "",
            **overrides,
        }
    )


def _create(world, data):
    client = world.client("editor")
    url = reverse("backoffice:offers:create") + f"?organisation={world.organisation.pk}"
    return client.post(url, data, follow=True)


def test_an_address_without_a_point_gets_the_postcode_centre_and_the_editor_is_told(
    world, vocabularies
):
    response = _create(world, _without_point())
    assert response.status_code == 200
    location = Offer.objects.get(name="Krabbelgruppe Nord").locations.get()
    assert (location.lat, location.lon) == CENTRE_54294
    assert location.position_source == Source.POSTCODE_CENTRE
    html = response.content.decode()
    assert "Gemeindehaus: Position aus Postleitzahl geschätzt." in html
    # The edit page keeps saying so beside the location until someone corrects the point.
    assert "aus der Postleitzahl geschätzt" in html


def test_an_address_that_cannot_be_found_is_saved_without_a_point_and_the_editor_warned(
    world, vocabularies
):
    response = _create(world, _without_point(**{"locations-0-postcode": "00000"}))
    location = Offer.objects.get(name="Krabbelgruppe Nord").locations.get()
    assert location.lat is None and location.lon is None and location.position_source == ""
    html = response.content.decode()
    assert "Adresse konnte nicht gefunden werden – bitte Punkt auf der Karte setzen" in html
    assert "ist auf keiner Karte" in html  # the note beside the location on the edit page


def test_a_point_typed_by_the_editor_is_kept_as_theirs(world, vocabularies):
    response = _create(world, _post_data())
    location = Offer.objects.get(name="Krabbelgruppe Nord").locations.get()
    assert (location.lat, location.lon, location.position_source) == (49.77, 6.66, "manual")
    assert "geschätzt" not in response.content.decode()


def test_a_known_place_of_the_catalogue_gives_its_point(world, vocabularies):
    LocationFactory(street="Am Stern 12", postcode="54294", lat=49.7412, lon=6.6203)
    response = _create(world, _without_point(**{"locations-0-street": "Am Stern 12"}))
    location = Offer.objects.get(name="Krabbelgruppe Nord").locations.get()
    assert (location.lat, location.lon) == (49.7412, 6.6203)
    assert location.position_source == Source.KNOWN_PLACE
    assert "Position aus der Adresse ermittelt (bekannter Ort)" in response.content.decode()


def test_a_failing_geocoder_does_not_break_the_save(world, vocabularies, settings):
    settings.QUARTIER_GEOCODER_URL = "http://geocoder.invalid/search"  # the transport times out
    response = _create(world, _without_point())
    assert response.redirect_chain and response.status_code == 200
    location = Offer.objects.get(name="Krabbelgruppe Nord").locations.get()
    assert location.position_source == Source.POSTCODE_CENTRE


def test_a_place_without_an_address_is_not_looked_up(world, vocabularies, monkeypatch):
    def not_called(*args):
        raise AssertionError("geocoded a place without an address")

    monkeypatch.setattr(geocoding, "geocode", not_called)
    data = _without_point(**{"locations-0-street": "", "locations-0-postcode": ""})
    response = _create(world, data)
    location = Offer.objects.get(name="Krabbelgruppe Nord").locations.get()
    assert location.lat is None and location.position_source == ""
    html = response.content.decode()
    assert "geschätzt" not in html and "nicht gefunden" not in html


def test_an_offer_without_locations_saves_as_before(world, vocabularies):
    data = _post_data(**{"locations-TOTAL_FORMS": "0"})
    _create(world, data)
    assert not Offer.objects.get(name="Krabbelgruppe Nord").locations.exists()


def test_the_api_and_imports_get_the_same_through_the_service(world):
    data = offer_snapshot(world.offer)
    data["locations"] = [
        {"name": "Neu", "street": "Am Stern 12", "postcode": "54294", "city": "Trier"}
    ]
    offer = services.offer_create(organisation=world.organisation, data=data, by=None)
    location = offer.locations.get()
    assert (location.lat, location.lon, location.position_source) == (
        *CENTRE_54294,
        Source.POSTCODE_CENTRE,
    )


def test_a_changed_address_replaces_an_estimated_point_but_not_a_hand_set_one(world):
    offer = OfferFactory(organisation=world.organisation)
    data = offer_snapshot(offer)
    data["locations"] = [{"name": "A", "street": "Am Stern 12", "postcode": "54294"}]
    services.offer_save(offer=offer, data=data, by=world.users["coordinator"])
    estimated = offer.locations.get()
    assert estimated.position_source == Source.POSTCODE_CENTRE
    # The form sends the stored (estimated) point back with the new postcode.
    data = offer_snapshot(offer)
    data["locations"][0].update(postcode="54290", position_source=None)
    services.offer_save(offer=offer, data=data, by=world.users["coordinator"])
    moved = Location.objects.get(pk=estimated.pk)
    assert (moved.lat, moved.lon) == geocoding.postcode_table()["54290"]
    assert moved.position_source == Source.POSTCODE_CENTRE
    # Once the editor types a point, it is theirs and stays when the address changes.
    data = offer_snapshot(offer)
    data["locations"][0].update(lat=49.75, lon=6.64, position_source=None)
    services.offer_save(offer=offer, data=data, by=world.users["coordinator"])
    data = offer_snapshot(offer)
    data["locations"][0].update(postcode="54294", position_source=None)
    services.offer_save(offer=offer, data=data, by=world.users["coordinator"])
    kept = Location.objects.get(pk=estimated.pk)
    assert (kept.lat, kept.lon, kept.position_source) == (49.75, 6.64, Source.MANUAL)


def test_the_back_office_lists_offers_on_no_map_and_with_estimated_points(world):
    nowhere = OfferFactory(organisation=world.organisation, name="Ohne Punkt")
    nowhere.locations.add(LocationFactory(lat=None, lon=None, street="Weg 1"))
    guessed = OfferFactory(organisation=world.organisation, name="Geschätzt")
    guessed.locations.add(LocationFactory(position_source=Source.POSTCODE_CENTRE))
    elsewhere = OfferFactory(organisation=world.other_organisation, name="Fremd ohne Punkt")
    elsewhere.locations.add(LocationFactory(lat=None, lon=None))
    client = world.client("editor")
    url = reverse("backoffice:offers:list")
    html = client.get(url, {"show": "no_position"}).content.decode()
    assert "Ohne Punkt" in html and "Geschätzt" not in html
    assert world.offer.name not in html
    # Permissions unchanged: another organisation's offer stays out of the editor's list.
    assert "Fremd ohne Punkt" not in html
    html = client.get(url, {"show": "estimated"}).content.decode()
    assert "Geschätzt" in html and "Ohne Punkt" not in html
    assert "ohne Punkt auf der Karte" in client.get(url).content.decode()
