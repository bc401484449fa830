import datetime as dt

import factory
from django.utils import timezone

from quartier.events.models import Category, Event, IcalFeed, Registration, Shift, ShiftSignup
from tests.factories.directory import OrganisationFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kategorie-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.capitalize())


def in_days(days: float, hour: int = 15) -> dt.datetime:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Stadtteilfest {n}")
    slug = factory.Sequence(lambda n: f"stadtteilfest-{n}")
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    place_name = "Bürgerhaus"
    street = "Hauptstraße 1"
    postcode = "54290"
    city = "Trier"
    is_published = True
    # As services.event_create does: a published event was first published when created.
    first_published_at = factory.LazyAttribute(lambda o: timezone.now() if o.is_published else None)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory, registration_required=True, capacity=10)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    status = "confirmed"
    seat = factory.Sequence(lambda n: n + 1)
    confirmed_at = factory.LazyFunction(timezone.now)


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    event = factory.SubFactory(EventFactory)
    kind = "setup"
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at - dt.timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    needed = 3


class ShiftSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftSignup

    shift = factory.SubFactory(ShiftFactory)
    first_name = "Helga"
    last_name = "Helferin"
    email = factory.Sequence(lambda n: f"helfer{n}@example.org")
    # A sign-up whose address is confirmed; pass confirmed_at=None for a pending one.
    confirmed_at = factory.LazyFunction(timezone.now)


class IcalFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IcalFeed

    organisation = factory.SubFactory(OrganisationFactory)
    # Port 9 on localhost refuses at once: a test that forgets to patch fetch_feed fails fast.
    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/kalender-{n}.ics")


def confirmed_registration(**kwargs) -> Registration:
    """An anonymous registration as the page makes it, then confirmed by its mailed link (the
    way it takes a place since issue 19)."""
    from quartier.events import services

    registration = services.registration_create(**kwargs)
    return services.registration_confirm(registration=registration)[0]


def confirmed_signup(**kwargs) -> ShiftSignup:
    """An anonymous helper's sign-up, confirmed by its mailed link."""
    from quartier.events import services

    signup = services.shift_signup_create(**kwargs)
    return services.shift_signup_confirm(signup=signup)[0]
