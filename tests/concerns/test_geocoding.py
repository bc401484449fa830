"""Concerns: a resident who gives an address but no point (core/geocoding.py)."""

from __future__ import annotations

import pytest

from quartier.concerns.models import Concern
from quartier.core import geocoding
from tests.concerns.test_concerns import post_report
from tests.factories.areas import AreaFactory, link, square
from tests.factories.offers import LocationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_geocoder")]


@pytest.fixture
def mapped(world):
    """An area around the centre of postcode 54294 (49.744, 6.6188), below the Stadtteil."""
    area = AreaFactory(
        name="Am Stern", slug="am-stern", kind__slug="quartier", kind__level=4,
        boundary=square(6.60, 49.70, 0.05),
    )  # fmt: skip
    link(world.district, area)
    return area


def test_an_address_with_a_postcode_chooses_the_area_but_sets_no_point(world, mapped):
    response = post_report(
        world.client("anonymous"), world, area="", address="Am Stern 12, 54294 Trier"
    )
    assert response.status_code == 302
    concern = Concern.objects.latest("pk")
    # A postcode centre is too coarse for the public map: it only finds the area.
    assert concern.area == mapped and concern.lat is None and concern.lon is None
    assert concern.address == "Am Stern 12, 54294 Trier"


def test_an_address_the_catalogue_knows_gives_the_point(world, mapped):
    LocationFactory(street="Am Stern 12", postcode="54294", lat=49.7412, lon=6.6203)
    post_report(world.client("anonymous"), world, area="", address="Am Stern 12, 54294 Trier")
    concern = Concern.objects.latest("pk")
    assert (concern.lat, concern.lon, concern.area) == (49.7412, 6.6203, mapped)


def test_a_point_found_outside_the_chosen_area_is_not_used(world, mapped):
    LocationFactory(street="Am Stern 12", postcode="54294", lat=49.7412, lon=6.6203)
    post_report(
        world.client("anonymous"),
        world,
        area=world.other_city.pk,
        address="Am Stern 12, 54294 Trier",
    )
    concern = Concern.objects.latest("pk")
    assert concern.area == world.other_city and concern.lat is None


def test_an_address_that_cannot_be_found_still_needs_the_area(world, mapped):
    before = Concern.objects.count()
    response = post_report(
        world.client("anonymous"), world, area="", address="Spielplatz hinter der Schule"
    )
    assert response.status_code == 400
    assert "Bitte wählen Sie das Gebiet" in response.content.decode()
    assert Concern.objects.count() == before


def test_a_point_given_by_the_resident_wins_over_the_address(world, mapped):
    post_report(
        world.client("anonymous"),
        world,
        area="",
        lat="49.72",
        lon="6.62",
        address="Irgendwo 1, 10115 Berlin",
    )
    concern = Concern.objects.latest("pk")
    assert (concern.lat, concern.lon, concern.area) == (49.72, 6.62, mapped)


def test_a_residents_address_goes_to_the_geocoder_only_when_allowed(
    world, mapped, settings, monkeypatch
):
    settings.QUARTIER_GEOCODER_URL = "http://geocoder.invalid/search"
    asked = []

    def answer(url, headers, timeout):
        asked.append(url)
        return b'[{"lat": "49.7301", "lon": "6.6102", "place_rank": 30}]'

    monkeypatch.setattr(geocoding, "_transport", answer)
    monkeypatch.setattr(geocoding, "_MIN_INTERVAL", 0.0)
    post_report(world.client("anonymous"), world, area="", address="Am Stern 12, 54294")
    assert asked == [] and Concern.objects.latest("pk").lat is None
    settings.QUARTIER_GEOCODER_CONCERNS = True
    post_report(world.client("anonymous"), world, area="", address="Am Stern 12, 54294")
    concern = Concern.objects.latest("pk")
    assert len(asked) == 1 and (concern.lat, concern.lon, concern.area) == (49.7301, 6.6102, mapped)
