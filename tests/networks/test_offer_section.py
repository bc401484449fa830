"""An offer's page names the public networks its organisation belongs to (offers.hooks)."""

import datetime

from django.urls import reverse

from tests.factories.networks import BodyFactory, MembershipFactory
from tests.factories.offers import OfferFactory


def test_offer_page_lists_the_organisations_current_public_networks(client, db):
    offer = OfferFactory()
    current = BodyFactory(name="Stadtteilnetzwerk Mariahof", is_public=True)
    MembershipFactory(body=current, organisation=offer.organisation)
    hidden = BodyFactory(name="Interner Arbeitskreis", is_public=False)
    MembershipFactory(body=hidden, organisation=offer.organisation)
    former = BodyFactory(name="Runder Tisch Alt", is_public=True)
    MembershipFactory(
        body=former, organisation=offer.organisation, end_date=datetime.date(2024, 6, 30)
    )

    page = client.get(reverse("offers:detail", kwargs={"pk": offer.pk})).content.decode()

    assert "Netzwerke der Organisation" in page
    assert "Stadtteilnetzwerk Mariahof" in page
    assert "Interner Arbeitskreis" not in page
    assert "Runder Tisch Alt" not in page


def test_offer_page_without_networks_shows_no_block(client, db):
    offer = OfferFactory()
    page = client.get(reverse("offers:detail", kwargs={"pk": offer.pk})).content.decode()
    assert "Netzwerke der Organisation" not in page
