"""Adds a public offer at a location, with a topic, to the shared test world."""

from __future__ import annotations

from tests.factories.offers import (
    LocationFactory,
    OfferFactory,
    OfferLocationFactory,
    TaxonomyTermFactory,
)


def extend(world) -> None:
    term = TaxonomyTermFactory(code="hsds-beratung", name="Beratung")
    offer = OfferFactory(
        organisation=world.organisation,
        name="Offene Sprechstunde",
        topics=[term],
        areas=[world.district],
    )
    link = OfferLocationFactory(offer=offer, location=LocationFactory(organisation=None))
    world.extra.update(hsds_offer=offer, hsds_link=link, hsds_term=term)
