import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.offers.selectors import normalise, possible_duplicates
from tests.factories.offers import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db


def _offer(name, street="Nordstraße 5", postcode="54292", **kwargs):
    return OfferFactory(
        name=name, locations=[LocationFactory(street=street, postcode=postcode)], **kwargs
    )


def test_same_name_at_the_same_address():
    offer = _offer("Familiencafé Nord")
    twin = _offer("Familiencafe Nord", street="Nordstrasse 5")
    found = possible_duplicates(offer)
    assert [(dup.offer, dup.reason) for dup in found] == [(twin, "same_name")]


def test_near_identical_name_at_the_same_place():
    offer = _offer("Hausaufgabenhilfe Nordviertel")
    near = _offer("Hausaufgabenhilfe im Nordviertel")
    assert [dup.offer for dup in possible_duplicates(offer)] == [near]
    assert possible_duplicates(offer)[0].reason == "similar_name"


def test_same_name_elsewhere_or_other_name_here_is_no_duplicate():
    offer = _offer("Familiencafé Nord")
    _offer("Familiencafé Nord", street="Südallee 1", postcode="54290")
    _offer("Schuldnerberatung")
    assert possible_duplicates(offer) == []


def test_reviewer_sees_duplicates(world):
    from django.urls import reverse

    _offer("Familiencafe Nord")
    response = world.client("coordinator").get(
        reverse("backoffice:offers:review", kwargs={"pk": world.offer.pk})
    )
    assert "gleicher Name an derselben Adresse" in response.content.decode()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_normalise_is_idempotent_and_plain(text):
    once = normalise(text)
    assert normalise(once) == once
    assert all(char.isalnum() or char == " " for char in once)
