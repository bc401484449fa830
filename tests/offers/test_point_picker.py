"""Offers: the map picker on the offer form. A point set by hand (typed, or on the map which
fills the same fields) is recorded as "manual" and kept on later saves, even when the address
changes, until the editor asks for the address's point; the point must lie inside the
platform's bounds (Germany by default); the edit page carries the map as a static script."""

import re

import pytest
from django.urls import reverse

from quartier.core import geocoding
from quartier.core.geocoding import Source
from quartier.offers.models import Location, Offer
from tests.factories.offers import LocationFactory, OfferFactory
from tests.offers.test_views import _post_data

pytestmark = pytest.mark.django_db

CENTRE_54294 = (49.744, 6.6188)


@pytest.fixture(autouse=True)
def _no_wait(offline_geocoder, monkeypatch):
    monkeypatch.setattr(geocoding, "_MIN_INTERVAL", 0.0)


def _create(client, world, **overrides):
    url = reverse("backoffice:offers:create") + f"?organisation={world.organisation.pk}"
    return client.post(url, _post_data(**overrides), follow=True)


def _edit_data(location, **overrides):
    """The edit form as sent back: the stored location (with its id) and any changes."""
    data = _post_data(
        **{
            "locations-INITIAL_FORMS": "1",
            "locations-0-id": str(location.pk),
            "locations-0-lat": str(location.lat),
            "locations-0-lon": str(location.lon),
        }
    )
    data.update(overrides)
    return data


def _edit(client, offer, data):
    url = reverse("backoffice:offers:edit", kwargs={"pk": offer.pk})
    return client.post(url, data, follow=True)


@pytest.fixture
def draft(world, vocabularies):
    """A draft offer of the editor's organisation with a point set on the map."""
    client = world.client("editor")
    response = _create(client, world, **{"locations-0-lat": "49.7712", "locations-0-lon": "6.6521"})
    assert response.status_code == 200
    offer = Offer.objects.get(name="Krabbelgruppe Nord")
    return client, offer, offer.locations.get()


def test_a_point_set_on_the_map_is_saved_as_manual_and_kept_on_resave(draft):
    client, offer, location = draft
    assert (location.lat, location.lon, location.position_source) == (49.7712, 6.6521, "manual")
    response = _edit(client, offer, _edit_data(location))
    assert response.status_code == 200
    kept = Location.objects.get(pk=location.pk)
    assert (kept.lat, kept.lon, kept.position_source) == (49.7712, 6.6521, Source.MANUAL)
    # The edit page says the point is the editor's own.
    assert "von Hand gesetzt" in response.content.decode()


def test_an_address_change_without_asking_keeps_the_manual_point(draft):
    client, offer, location = draft
    _edit(client, offer, _edit_data(location, **{"locations-0-postcode": "54294"}))
    kept = Location.objects.get(pk=location.pk)
    assert kept.postcode == "54294"
    assert (kept.lat, kept.lon, kept.position_source) == (49.7712, 6.6521, Source.MANUAL)


def test_asking_for_the_address_position_replaces_the_manual_point(draft):
    client, offer, location = draft
    data = _edit_data(
        location, **{"locations-0-street": "Am Stern 12", "locations-0-postcode": "54294"}
    )
    data["locations-0-locate"] = "on"
    response = _edit(client, offer, data)
    moved = Location.objects.get(pk=location.pk)
    assert (moved.lat, moved.lon) == CENTRE_54294
    assert moved.position_source == Source.POSTCODE_CENTRE
    assert "Position aus Postleitzahl geschätzt" in response.content.decode()


def test_asking_for_an_address_that_cannot_be_found_keeps_the_point_and_warns(draft):
    client, offer, location = draft
    data = _edit_data(location, **{"locations-0-postcode": "00000"})
    data["locations-0-locate"] = "on"
    response = _edit(client, offer, data)
    kept = Location.objects.get(pk=location.pk)
    assert (kept.lat, kept.lon, kept.position_source) == (49.7712, 6.6521, Source.MANUAL)
    assert "Adresse konnte nicht gefunden werden" in response.content.decode()


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("6.66", "49.77", "außerhalb des Gebiets"),  # swapped
        ("48.85", "2.35", "außerhalb des Gebiets"),  # Paris
        ("49.77", "", "Geben Sie Breiten- und Längengrad an oder keinen von beiden."),
        ("", "6.66", "Geben Sie Breiten- und Längengrad an oder keinen von beiden."),
    ],
)
def test_bad_coordinates_are_a_form_error_and_nothing_is_written(draft, lat, lon, message):
    client, offer, location = draft
    data = _edit_data(
        location,
        name="Umbenannt",
        **{"locations-0-lat": lat, "locations-0-lon": lon},
    )
    url = reverse("backoffice:offers:edit", kwargs={"pk": offer.pk})
    response = client.post(url, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    offer.refresh_from_db()
    kept = Location.objects.get(pk=location.pk)
    assert offer.name == "Krabbelgruppe Nord"
    assert (kept.lat, kept.lon, kept.position_source) == (49.7712, 6.6521, Source.MANUAL)


def test_the_bounds_follow_the_deployments_setting(world, vocabularies, settings):
    settings.QUARTIER_MAP_BOUNDS = (49.6, 6.5, 49.9, 6.8)  # Trier only
    client = world.client("editor")
    response = _create(client, world, **{"locations-0-lat": "50.0", "locations-0-lon": "6.7"})
    assert "außerhalb des Gebiets" in response.content.decode()
    assert not Offer.objects.filter(name="Krabbelgruppe Nord").exists()
    html = client.get(reverse("backoffice:offers:edit", kwargs={"pk": world.offer.pk}))
    assert 'data-bounds="49.6,6.5,49.9,6.8"' in html.content.decode()


def test_an_editor_of_another_organisation_cannot_set_the_point(world, vocabularies):
    location = world.other_offer.locations.first() or LocationFactory()
    world.other_offer.locations.add(location)
    before = (location.lat, location.lon, location.position_source)
    client = world.client("editor")
    url = reverse("backoffice:offers:edit", kwargs={"pk": world.other_offer.pk})
    data = _edit_data(location, **{"locations-0-lat": "49.7", "locations-0-lon": "6.6"})
    assert client.post(url, data).status_code == 403
    location.refresh_from_db()
    assert (location.lat, location.lon, location.position_source) == before


def test_the_form_carries_the_map_as_data_and_a_static_script(world, vocabularies):
    client = world.client("editor")
    html = client.get(reverse("backoffice:offers:edit", kwargs={"pk": world.offer.pk}))
    html = html.content.decode()
    assert 'class="map offer-point-map"' in html
    assert 'data-lat-field="id_locations-0-lat"' in html
    assert 'data-lon-field="id_locations-0-lon"' in html
    assert 'data-bounds="47.2,5.8,55.1,15.1"' in html
    assert re.search(r'<script src="[^"]*offers/point-map[^"]*\.js" defer></script>', html)
    assert re.search(r'<script src="[^"]*vendor/leaflet/leaflet[^"]*\.js" defer></script>', html)
    # CSP: no inline script, style or handler; the lat/lon fields stay labelled inputs.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or "application/json" in tag or "ld+json" in tag, tag
    assert " style=" not in html and not re.search(r"\son[a-z]+=", html)
    assert '<label for="id_locations-0-lat">' in html
    assert 'name="locations-0-locate"' in html
    assert "Position aus Adresse bestimmen" in html


def test_the_estimated_filter_leaves_out_points_set_by_hand(world):
    guessed = OfferFactory(organisation=world.organisation, name="Geschätzt")
    guessed.locations.add(LocationFactory(position_source=Source.POSTCODE_CENTRE))
    by_hand = OfferFactory(organisation=world.organisation, name="Von Hand")
    by_hand.locations.add(LocationFactory(position_source=Source.MANUAL))
    client = world.client("editor")
    html = client.get(reverse("backoffice:offers:list"), {"show": "estimated"}).content.decode()
    assert "Geschätzt" in html and "Von Hand" not in html
