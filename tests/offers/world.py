"""Offers in the test world: a published one in the Nordviertel with a location and hours, a
draft, one with a change awaiting review, and one of the organisation elsewhere; sentinels for
the privacy sweep (contacts with internal or ended positions, a draft's name, public controls)."""

from __future__ import annotations

from quartier.offers.models import OfferRevision, ReviewState
from quartier.offers.snapshot import offer_snapshot
from tests import sentinels
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
        email=sentinels.public_email("offer"),
        areas=[world.district],
        locations=[location],
    )
    # People with an internal or an ended position are linked but must never be named.
    offer.contacts.set([world.person, world.internal_person, world.former_person])
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
    other.contacts.set([world.public_person])
    # The sweep's positive control for every output that lists offers (GeoJSON included).
    named = OfferFactory(
        organisation=world.other_organisation,
        name=sentinels.public("offer name"),
        areas=[world.other_city],
        locations=[LocationFactory(organisation=world.other_organisation)],
    )
    OfferFactory(
        organisation=world.organisation,
        name=sentinels.secret("draft offer name"),
        review_state=ReviewState.DRAFT,
        areas=[world.district],
    )
    world.extra.update(
        {
            "offer": offer,
            "offer_location": location,
            "draft_offer": draft,
            "pending_offer": pending,
            "other_offer": other,
            "named_offer": named,
        }
    )
