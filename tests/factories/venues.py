import datetime as dt

import factory
from django.utils import timezone

from quartier.venues.models import ClosingDay, OpeningHours, Room, Venue
from tests.factories.directory import OrganisationFactory


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Stadtteilbüro {n}")
    slug = factory.Sequence(lambda n: f"stadtteilbuero-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    street = "Pater-Loskyll-Weg 15"
    postcode = "54294"
    city = "Trier"
    email = "raeume@example.org"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        skip_postgeneration_save = True

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Raum {n}")
    slug = factory.Sequence(lambda n: f"raum-{n}")
    capacity = 12
    lead_time_hours = 0
    max_length_minutes = 24 * 60
    buffer_minutes = 0
    # Tests book in 2030; the model's validators (max 365) do not run in factories.
    booking_window_days = 5000

    @factory.post_generation
    def bookable_by(self, create, extracted, **kwargs):
        if create and extracted:
            self.bookable_by.set(extracted)


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    venue = factory.SubFactory(VenueFactory)
    weekday = 0
    opens = dt.time(8)
    closes = dt.time(22)


class ClosingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingDay

    venue = factory.SubFactory(VenueFactory)
    first_day = dt.date(2030, 12, 24)
    last_day = dt.date(2030, 12, 26)
    reason = "Weihnachten"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime in the local time zone (Europe/Berlin)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def book(room, start, end, *, confirm_email: bool = True, **kwargs):
    """booking_create with test defaults (title, no mail expectations). An anonymous public
    request is confirmed by its mailed link at once, so that it holds its slot as the tests
    expect, unless `confirm_email=False`."""
    from quartier.venues.models import BookingStatus
    from quartier.venues.services import booking_confirm_request, booking_create

    kwargs.setdefault("title", "Arbeitskreis")
    kwargs.setdefault("now", at(2030, 1, 1))
    booking = booking_create(room=room, start=start, end=end, **kwargs)
    if confirm_email and booking.status == BookingStatus.UNCONFIRMED:
        booking, _changed = booking_confirm_request(booking=booking)
    return booking
