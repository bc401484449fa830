"""Factories for the Netzwerkkatalog (quartier.offers). Shared by the offers and search tests."""

from __future__ import annotations

import factory

from quartier.offers.models import (
    Language,
    Location,
    Offer,
    OfferLocation,
    ReviewState,
    Schedule,
    ScheduleKind,
    TargetGroup,
    Taxonomy,
    TaxonomyTerm,
)
from tests.factories.directory import OrganisationFactory


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy
        django_get_or_create = ("slug",)

    slug = "quartier-themen"
    name = "Quartier-Themen"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm
        django_get_or_create = ("taxonomy", "code")

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"thema-{n}")
    name = factory.Sequence(lambda n: f"Thema {n}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"gruppe-{n}")
    name = factory.Sequence(lambda n: f"Gruppe {n}")


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "de"
    name = "Deutsch"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Standort {n}")
    street = "Hauptstraße 1"
    postcode = "54290"
    city = "Trier"
    lat = 49.75
    lon = 6.64


class OfferFactory(factory.django.DjangoModelFactory):
    """A published, active offer. Pass `topics=[...]`, `target_groups`, `languages`, `areas`,
    `locations` to set the relations."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Angebot {n}")
    description = "Ein Angebot im Quartier."
    review_state = ReviewState.PUBLISHED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.set(extracted)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            for location in extracted:
                OfferLocation.objects.create(offer=self, location=location)


class OfferLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferLocation

    offer = factory.SubFactory(OfferFactory)
    location = factory.SubFactory(LocationFactory)


class ScheduleFactory(factory.django.DjangoModelFactory):
    """Weekly hours by default (Monday 9-12)."""

    class Meta:
        model = Schedule

    offer = factory.SubFactory(OfferFactory)
    kind = ScheduleKind.WEEKLY
    weekday = 0
    opens_at = "09:00"
    closes_at = "12:00"
