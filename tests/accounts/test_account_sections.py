"""The account page lists the resident's bookings, registrations and alerts (core.registry
account sections), and public forms are pre-filled from the account."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from quartier.alerts.models import Kind, Subscription
from quartier.venues.models import Booking, BookingStatus
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.venues import RoomFactory

PROFILE = "accounts:profile"


def _resident(**kwargs):
    return UserFactory(username="rosa", email="rosa@example.org", display_name="Rosa Rot", **kwargs)


def _booking(room, **kwargs) -> Booking:
    start = timezone.now() + dt.timedelta(days=5)
    return Booking.objects.create(
        room=room,
        title=kwargs.pop("title", "Nachbarschaftstreff"),
        start=start,
        end=start + dt.timedelta(hours=2),
        status=BookingStatus.REQUESTED,
        **kwargs,
    )


def test_the_account_page_lists_bookings_registrations_and_alerts(
    client, db, django_assert_max_num_queries
):
    resident = _resident()
    RegistrationFactory(email="ROSA@example.org", event__title="Erzählcafé")
    RegistrationFactory(
        email="rosa@example.org",
        event__title="Vorbei",
        event__starts_at=(timezone.now() - dt.timedelta(days=3)),
        event__ends_at=timezone.now() - dt.timedelta(days=3, hours=-2),
    )
    RegistrationFactory(email="jemand@example.org", event__title="Fremdes Fest")
    room = RoomFactory(name="Saal")
    _booking(room, created_by=resident)
    _booking(room, title="Per Adresse", requester_email="rosa@example.org")
    _booking(room, title="Fremde Buchung", requester_email="jemand@example.org")
    Subscription.objects.create(user=resident, kind=Kind.SEARCH, query="Kita", label="Suche: Kita")
    client.force_login(resident)
    with django_assert_max_num_queries(20):
        html = client.get(reverse(PROFILE)).content.decode()
    assert "Ihre Anmeldungen" in html and "Erzählcafé" in html
    assert "Vorbei" not in html and "Fremdes Fest" not in html
    assert "Ihre Raumbuchungen" in html and "Nachbarschaftstreff" in html
    assert "Per Adresse" in html and "Fremde Buchung" not in html
    assert "Ihre Benachrichtigungen" in html and "Suche: Kita" in html


def test_an_unconfirmed_address_shows_nothing_booked_or_registered_with_it(client, db):
    resident = _resident(email_verified_at=None)
    RegistrationFactory(email="rosa@example.org", event__title="Erzählcafé")
    _booking(RoomFactory(), title="Per Adresse", requester_email="rosa@example.org")
    client.force_login(resident)
    html = client.get(reverse(PROFILE)).content.decode()
    assert "Erzählcafé" not in html and "Per Adresse" not in html
    assert "Ihre Anmeldungen" not in html


def test_someone_else_sees_none_of_it_and_anonymous_users_log_in(client, db):
    resident = _resident()
    RegistrationFactory(email=resident.email, event__title="Erzählcafé")
    other = UserFactory(username="otto", email="otto@example.org")
    client.force_login(other)
    assert "Erzählcafé" not in client.get(reverse(PROFILE)).content.decode()
    client.logout()
    assert client.get(reverse(PROFILE)).status_code == 302


def test_event_and_room_forms_are_prefilled_from_the_account(client, db):
    resident = _resident()
    event = EventFactory(registration_required=True, capacity=10)
    room = RoomFactory(public_requests=True)
    client.force_login(resident)
    event_page = client.get(event.get_absolute_url()).content.decode()
    assert 'value="Rosa Rot"' in event_page and 'value="rosa@example.org"' in event_page
    url = reverse("venues:request", kwargs={"venue": room.venue.slug, "slug": room.slug})
    request_page = client.get(url).content.decode()
    assert 'value="Rosa Rot"' in request_page and 'value="rosa@example.org"' in request_page
