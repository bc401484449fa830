import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.offers.models import Location, Offer, OfferLocation, ReviewState
from quartier.offers.selectors import normalise, possible_duplicates
from tests.factories.directory import OrganisationFactory
from tests.factories.offers import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db

# Nordstraße 5, Trier, and points about 20 m and 300 m from it.
HERE = (49.7600, 6.6400)
TWENTY_METRES_NORTH = (49.76018, 6.6400)
FAR = (49.7627, 6.6400)


def _offer(name, street="Nordstraße 5", postcode="54292", point=HERE, **kwargs):
    lat, lon = point if point else (None, None)
    location = LocationFactory(street=street, postcode=postcode, lat=lat, lon=lon)
    return OfferFactory(name=name, locations=[location], **kwargs)


def test_same_name_at_the_same_address():
    offer = _offer("Familiencafé Nord")
    twin = _offer("Familiencafe Nord", street="Nordstrasse 5", point=None)
    found = possible_duplicates(offer)
    assert [(dup.offer, dup.reason, dup.place) for dup in found] == [(twin, "same_name", "address")]


def test_near_identical_name_at_the_same_place():
    offer = _offer("Hausaufgabenhilfe Nordviertel")
    near = _offer("Hausaufgabenhilfe im Nordviertel")
    assert [dup.offer for dup in possible_duplicates(offer)] == [near]
    assert possible_duplicates(offer)[0].reason == "similar_name"


def test_near_identical_name_at_the_same_point_without_a_street():
    offer = _offer("Schuldnerberatung der Caritas", street="", postcode="")
    near = _offer(
        "Schuldner-Beratung der Caritas", street="", postcode="", point=TWENTY_METRES_NORTH
    )
    [duplicate] = possible_duplicates(offer)
    assert duplicate.offer == near
    assert duplicate.place == "point"
    assert 15 <= duplicate.distance <= 25


def test_same_name_elsewhere_or_other_name_here_is_no_duplicate():
    offer = _offer("Familiencafé Nord")
    _offer("Familiencafé Nord", street="Südallee 1", postcode="54290", point=FAR)
    _offer("Schuldnerberatung")
    _offer("Familiencafé Nord", street="Nordstraße 7", point=None)  # next door, no point
    assert possible_duplicates(offer) == []


def test_an_offer_without_address_or_point_has_no_duplicates(django_assert_max_num_queries):
    offer = _offer("Familiencafé Nord", street="Nordstraße 5", postcode="", point=None)
    _offer("Familiencafé Nord", street="Nordstraße 5", postcode="", point=None)
    with django_assert_max_num_queries(1):
        assert possible_duplicates(offer) == []
    assert possible_duplicates(OfferFactory(name="Familiencafé Nord")) == []


def test_the_real_duplicate_is_found_among_hundreds_in_the_postcode(django_assert_num_queries):
    """The old selector took 300 unordered candidates per postcode; the twin came after them."""
    organisation = OrganisationFactory()
    offers = Offer.objects.bulk_create(
        Offer(
            organisation=organisation,
            name=f"Angebot Nummer {index}",
            review_state=ReviewState.PUBLISHED,
        )
        for index in range(320)
    )
    locations = Location.objects.bulk_create(
        Location(street=f"Weg {index}", postcode="54292", lat=49.70, lon=6.60 + index / 1000)
        for index in range(320)
    )
    OfferLocation.objects.bulk_create(
        OfferLocation(offer=offer, location=location)
        for offer, location in zip(offers, locations, strict=True)
    )
    twin = _offer("Familienbüro Trier-Nord", point=None)
    offer = Offer.objects.prefetch_related("locations").get(
        pk=_offer("Familienbuero Trier Nord", point=None).pk
    )
    with django_assert_num_queries(2):  # the places, then the matching offers
        found = possible_duplicates(offer)
    assert [(dup.offer, dup.reason) for dup in found] == [(twin, "same_name")]


def test_reviewer_sees_duplicates(world):
    near = world.offer_location
    _offer("Familiencafe Nord", point=(near.lat, near.lon))
    response = world.client("coordinator").get(
        reverse("backoffice:offers:review", kwargs={"pk": world.offer.pk})
    )
    assert "gleicher Name an derselben Adresse" in response.content.decode()


def test_reviewer_sees_a_duplicate_close_by_with_its_distance(world):
    location = world.offer_location
    _offer("Familien-Café Nord", street="", postcode="", point=(location.lat, location.lon))
    response = world.client("coordinator").get(
        reverse("backoffice:offers:review", kwargs={"pk": world.offer.pk}),
        headers={"accept-language": "en"},
    )
    assert "similar name, 0 m away" in response.content.decode()


def test_editor_does_not_see_the_review_page_with_duplicates(world):
    _offer("Familiencafe Nord")
    response = world.client("editor").get(
        reverse("backoffice:offers:review", kwargs={"pk": world.offer.pk})
    )
    assert response.status_code == 403


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_normalise_is_idempotent_and_plain(text):
    once = normalise(text)
    assert normalise(once) == once
    assert all(char.isalnum() or char == " " for char in once)
