import datetime

import factory
from django.utils import timezone

from quartier.networks.models import (
    Body,
    BodyKind,
    Delegate,
    Meeting,
    Membership,
    MembershipRole,
    Topic,
)
from tests.factories.directory import OrganisationFactory, PersonFactory


class BodyKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyKind
        django_get_or_create = ("slug",)

    slug = "netzwerk"
    name = "Netzwerk"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"thema-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.capitalize())


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        skip_postgeneration_save = True

    kind = factory.SubFactory(BodyKindFactory)
    name = factory.Sequence(lambda n: f"Stadtteilnetzwerk {n}")
    slug = factory.Sequence(lambda n: f"netzwerk-{n}")
    coordinating_organisation = factory.SubFactory(OrganisationFactory)
    contact_email = "netzwerk@example.org"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER
    start_date = datetime.date(2024, 1, 1)
    room_capacity = 20


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    membership = factory.SubFactory(MembershipFactory)
    person = factory.SubFactory(PersonFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title = "Netzwerktreffen"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    agenda_deadline = factory.LazyAttribute(lambda o: o.start - datetime.timedelta(days=7))
