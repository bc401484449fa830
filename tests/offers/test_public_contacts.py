"""Who is named as an offer's contact: the one rule of quartier.directory.selectors.

An offer may link any person; every output names only those holding a current public position
at the offer's organisation: the offer page, the offer API and the HSDS API alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from quartier.directory.selectors import public_contact_cards
from tests.factories.directory import OrganisationFactory, PersonFactory, PositionFactory
from tests.factories.offers import OfferFactory, OfferLocationFactory

pytestmark = pytest.mark.django_db

NAMED = "Nora Genannt"
NOT_NAMED = ("Ina Intern", "Ole Ehemals", "Fred Fremd", "Kai Keinposten", "Uwe Unverlinkt")


@pytest.fixture
def offer():
    organisation = OrganisationFactory(name="Familienzentrum")
    elsewhere = OrganisationFactory(name="Anderer Träger")
    offer = OfferFactory(organisation=organisation, name="Elternberatung")
    OfferLocationFactory(offer=offer)

    def person(name: str, **position) -> object:
        given, family = name.split()
        someone = PersonFactory(given_name=given, family_name=family)
        if position:
            PositionFactory(person=someone, **position)
        return someone

    # A public contact of the organisation, but not of this offer (found by make mutation).
    person("Uwe Unverlinkt", organisation=organisation)
    offer.contacts.set(
        [
            person(NAMED, organisation=organisation, role="Beratung"),
            person("Ina Intern", organisation=organisation, is_public=False),
            person(
                "Ole Ehemals",
                organisation=organisation,
                start_date=dt.date(2018, 1, 1),
                end_date=dt.date(2021, 6, 30),
            ),
            # A public contact, but of another organisation: not this offer's to name.
            person("Fred Fremd", organisation=elsewhere),
            person("Kai Keinposten"),
        ]
    )
    return offer


def _assert_only_the_public_contact(text: str) -> None:
    assert NAMED in text
    for name in NOT_NAMED:
        assert name not in text, name
        assert name.split()[1].lower() not in text.lower(), name  # nor the e-mail address


def test_cards_name_only_public_contacts_of_the_organisation(offer):
    cards = public_contact_cards(offer.contacts.all(), offer.organisation_id)
    assert [card["name"] for card in cards] == [NAMED]
    assert cards[0]["role"] == "Beratung"
    assert cards[0]["email"] == "nora.genannt@example.org"  # marked public by the factory
    assert "phone" not in cards[0]  # not marked public


def test_offer_page_names_only_the_public_contact(offer):
    _assert_only_the_public_contact(Client().get(offer.get_absolute_url()).content.decode())


def test_offer_api_names_only_the_public_contact(offer):
    url = reverse("api:offer_detail", kwargs={"offer_id": offer.pk})
    contacts = Client().get(url).json()["contacts"]
    assert [contact["name"] for contact in contacts] == [NAMED]


def test_hsds_names_only_the_public_contact(offer):
    for url in (
        reverse("api:hsds_service", kwargs={"id": offer.pk}),
        reverse("api:hsds_services") + "?full=true",
        reverse("api:hsds_service_at_locations") + "?full=true",
    ):
        _assert_only_the_public_contact(Client().get(url).content.decode())
