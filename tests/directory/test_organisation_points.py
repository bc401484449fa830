"""An organisation saved with an address but without a point gets one (core/geocoding.py, as
offer locations do), records where it came from, and the editor is told (issue #17/#18)."""

import pytest
from django.urls import reverse

from quartier.core import geocoding
from quartier.core.geocoding import Source
from quartier.directory.models import Organisation
from quartier.directory.selectors import known_place
from tests.directory.test_backoffice import _org_data
from tests.factories.directory import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_geocoder")]

CENTRE_54294 = (49.744, 6.6188)


def _save(world, role="planner", **overrides):
    organisation = world.organisation
    url = reverse("backoffice:directory:organisation_edit", kwargs={"slug": organisation.slug})
    data = _org_data(organisation, **overrides)
    return world.client(role).post(url, data, follow=True)


def test_an_address_without_a_point_gets_the_postcode_centre_and_the_editor_is_told(world):
    response = _save(world, street="Am Stern 12", postcode="54294", city="Trier", lat="", lon="")
    assert response.status_code == 200
    world.organisation.refresh_from_db()
    assert (world.organisation.lat, world.organisation.lon) == CENTRE_54294
    assert world.organisation.position_source == Source.POSTCODE_CENTRE
    assert world.organisation.position_estimated
    assert "aus der Postleitzahl geschätzt" in response.content.decode()


def test_an_address_that_cannot_be_found_is_saved_without_a_point_and_the_editor_warned(world):
    response = _save(world, street="Nirgendwo 1", postcode="00000", lat="", lon="")
    world.organisation.refresh_from_db()
    assert world.organisation.lat is None and world.organisation.position_source == ""
    assert "Adresse konnte nicht gefunden werden" in response.content.decode()


def test_a_point_typed_by_the_editor_is_theirs(world):
    response = _save(world, street="Am Stern 12", postcode="54294", lat="49.77", lon="6.66")
    world.organisation.refresh_from_db()
    assert (world.organisation.lat, world.organisation.lon) == (49.77, 6.66)
    assert world.organisation.position_source == Source.MANUAL
    assert "geschätzt" not in response.content.decode()
    # Saved again unchanged: still the editor's point, nothing looked up.
    _save(world, street="Am Stern 12", postcode="54294", lat="49.77", lon="6.66")
    world.organisation.refresh_from_db()
    assert world.organisation.position_source == Source.MANUAL


def test_a_found_point_is_looked_up_again_when_the_address_changes(world):
    _save(world, street="Am Stern 12", postcode="54294", lat="", lon="")
    world.organisation.refresh_from_db()
    old = (world.organisation.lat, world.organisation.lon)
    _save(world, street="Nirgendwo 1", postcode="00000", lat=old[0], lon=old[1])
    world.organisation.refresh_from_db()
    assert world.organisation.lat is None and world.organisation.position_source == ""


def test_a_known_place_gives_its_point_but_never_an_estimated_one(world):
    OrganisationFactory(street="Am Stern 12", postcode="54294", lat=49.7412, lon=6.6203)
    response = _save(world, street="Am Stern 12", postcode="54294", lat="", lon="")
    world.organisation.refresh_from_db()
    assert (world.organisation.lat, world.organisation.lon) == (49.7412, 6.6203)
    assert world.organisation.position_source == Source.KNOWN_PLACE
    assert "bekannter Ort" in response.content.decode()
    Organisation.objects.exclude(pk=world.organisation.pk).update(
        position_source=Source.POSTCODE_CENTRE
    )
    Organisation.objects.filter(pk=world.organisation.pk).update(
        position_source=Source.POSTCODE_CENTRE
    )
    assert known_place("am stern 12", "54294") is None


def test_half_a_point_is_refused_and_nothing_is_looked_up(world, monkeypatch):
    def not_called(*args, **kwargs):
        raise AssertionError("looked up an address for half a point")

    monkeypatch.setattr(geocoding, "geocode", not_called)
    response = _save(world, street="Am Stern 12", postcode="54294", lat="49.7", lon="")
    assert response.status_code == 422
