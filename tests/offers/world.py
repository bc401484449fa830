"""Offers in the test world: a published one in the Nordviertel with a location and hours, a
draft, one with a change awaiting review, and one of the organisation elsewhere."""

from __future__ import annotations

from quartier.offers.models import OfferRevision, ReviewState
from quartier.offers.snapshot import offer_snapshot
from tests.factories.offers import LocationFactory, OfferFactory, ScheduleFactory


def extend(world) -> None:
    location = LocationFactory(
        organisation=world.organisation,
        name="Nachbarschaftshaus",
        street="Nordstraße 5",
        postcode="54292",
        wheelchair_accessible=True,
    )
    offer = OfferFactory(
        organisation=world.organisation,
        name="Familiencafé Nord",
        phone="0651 123456",
        areas=[world.district],
        locations=[location],
    )
    offer.contacts.set([world.person])
    ScheduleFactory(offer=offer)
    draft = OfferFactory(
        organisation=world.organisation,
        name="Hausaufgabenhilfe Nord",
        review_state=ReviewState.DRAFT,
        areas=[world.district],
    )
    pending = OfferFactory(
        organisation=world.organisation, name="Elterntreff Nord", areas=[world.district]
    )
    OfferRevision.objects.create(
        offer=pending,
        data={**offer_snapshot(pending), "name": "Elterntreff Nord (neu)"},
        submitted_by=world.users["editor"],
    )
    other = OfferFactory(
        organisation=world.other_organisation,
        name="Jugendtreff Anderstadt",
        areas=[world.other_city],
    )
    world.extra.update(
        {
            "offer": offer,
            "offer_location": location,
            "draft_offer": draft,
            "pending_offer": pending,
            "other_offer": other,
        }
    )
