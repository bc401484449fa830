"""Anonymous room requests hold their slot only once confirmed by the mailed link (issue 19)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartier.core.models import ConsentRecord
from quartier.venues import privacy, retention
from quartier.venues.models import Booking, BookingStatus, Occupancy
from quartier.venues.tokens import cancel_token, confirm_booking_from_token, confirm_path
from tests.factories.accounts import UserFactory
from tests.factories.venues import ClosingDayFactory, at

pytestmark = pytest.mark.django_db

REQUEST = {
    "title": "Spieleabend",
    "date": "2030-03-07",
    "start_time": "18:00",
    "end_time": "21:00",
    "name": "Ben",
    "email": "ben@example.org",
    "consent": "on",
}


def _request(world, client, capture, **data) -> Booking:
    url = reverse("venues:request", kwargs={"venue": world.venue.slug, "slug": world.room.slug})
    with capture(execute=True):
        response = client.post(url, {**REQUEST, **data})
    assert response.status_code == 302, response.content.decode()
    return Booking.objects.filter(title=data.get("title", REQUEST["title"])).latest("pk")


def _link(booking: Booking) -> str:
    """The confirmation link, read from the mail as the requester would."""
    body = next(m.body for m in reversed(mail.outbox) if "/raeume/bestaetigen/" in m.body)
    path = re.search(r"https?://[^/\s]+(/raeume/bestaetigen/\S+/)", body).group(1)
    assert confirm_booking_from_token(path.rstrip("/").rsplit("/", 1)[1]) == booking
    return path


def test_an_anonymous_request_holds_nothing_until_its_link_is_confirmed(
    world, client, django_capture_on_commit_callbacks
):
    booking = _request(world, client, django_capture_on_commit_callbacks)
    assert booking.status == BookingStatus.UNCONFIRMED
    assert not Occupancy.objects.filter(booking=booking).exists()
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]  # the venue hears nothing yet
    grid = client.get(world.room.get_absolute_url() + "?date=2030-03-07").content.decode()
    assert "18:00–21:00" not in grid
    link = _link(booking)
    # GET (a mail scanner) only asks.
    page = client.get(link)
    assert page.status_code == 200 and "Anfrage bestätigen" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.UNCONFIRMED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert booking.email_confirmed_at is not None
    assert Occupancy.objects.filter(booking=booking, is_buffer=False).count() == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.venue.email, "ben@example.org"])
    assert any("/raeume/absage/" in m.body for m in mail.outbox)
    grid = client.get(world.room.get_absolute_url() + "?date=2030-03-07").content.decode()
    assert "18:00–21:00" in grid


def test_two_requests_for_one_slot_first_confirmed_wins(
    world, client, django_capture_on_commit_callbacks
):
    first = _request(world, client, django_capture_on_commit_callbacks, title="Erste")
    second = _request(
        world, client, django_capture_on_commit_callbacks, title="Zweite", email="b@example.org"
    )
    assert first.status == second.status == BookingStatus.UNCONFIRMED
    first_link, second_link = confirm_path(first), confirm_path(second)
    # The second confirms first: it wins.
    assert client.post(second_link).status_code == 200
    response = client.post(first_link)
    assert response.status_code == 409
    html = response.content.decode()
    assert "bereits belegt" in html and "18:00–21:00" in html
    first.refresh_from_db()
    assert first.status == BookingStatus.UNCONFIRMED
    assert first.email_confirmed_at is None
    assert not Occupancy.objects.filter(booking=first).exists()
    assert Occupancy.objects.filter(booking=second).exists()


def test_a_closing_day_set_meanwhile_refuses_the_confirmation(
    world, client, django_capture_on_commit_callbacks
):
    booking = _request(world, client, django_capture_on_commit_callbacks)
    ClosingDayFactory(
        venue=world.venue, first_day=dt.date(2030, 3, 7), last_day=dt.date(2030, 3, 7)
    )
    response = client.post(confirm_path(booking))
    assert response.status_code == 409
    assert "geschlossen" in response.content.decode()
    assert not Occupancy.objects.filter(booking=booking).exists()


def test_an_expired_request_cannot_be_confirmed_and_is_purged(
    world, client, django_capture_on_commit_callbacks
):
    booking = _request(world, client, django_capture_on_commit_callbacks)
    link = confirm_path(booking)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    response = client.post(link)
    assert response.status_code == 400
    assert "abgelaufen" in response.content.decode()
    assert not Occupancy.objects.filter(booking=booking).exists()
    assert ConsentRecord.objects.filter(object_id=booking.pk, purpose="venues.request").exists()
    # The purge counts it in a dry run, then deletes it with its history and consent.
    assert retention.purge(dry_run=True)["unconfirmed room requests"] == 1
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert retention.purge()["unconfirmed room requests"] == 1
    assert not Booking.objects.filter(pk=booking.pk).exists()
    assert not Booking.history.filter(id=booking.pk).exists()
    assert not ConsentRecord.objects.filter(object_id=booking.pk, purpose="venues.request").exists()
    # The world's fresh unconfirmed request stays until its time is up.
    assert Booking.objects.filter(pk=world.unconfirmed_request.pk).exists()
    # Its link now finds nothing: expired.
    response = client.post(link)
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()


def test_an_expired_signature_is_refused(world, client, settings):
    settings.QUARTIER_VENUES_CONFIRM_HOURS = 0
    response = client.post(confirm_path(world.unconfirmed_request))
    assert response.status_code == 400
    world.unconfirmed_request.refresh_from_db()
    assert world.unconfirmed_request.status == BookingStatus.UNCONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_token_is_refused(world, client, method):
    token = confirm_path(world.unconfirmed_request).rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, cancel_token(world.unconfirmed_request)):
        response = getattr(client, method)(reverse("venues:confirm", args=[bad]))
        assert response.status_code == 400
        assert "nicht gültig" in response.content.decode()
    world.unconfirmed_request.refresh_from_db()
    assert world.unconfirmed_request.status == BookingStatus.UNCONFIRMED


def test_a_double_click_confirms_once_and_mails_once(
    world, client, django_capture_on_commit_callbacks
):
    link = confirm_path(world.unconfirmed_request)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    sent = len(mail.outbox)
    held = Occupancy.objects.filter(booking=world.unconfirmed_request).count()
    assert sent == 2 and held > 0
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(link)
    assert again.status_code == 200
    assert "bereits verwendet" in again.content.decode()
    assert len(mail.outbox) == sent
    assert Occupancy.objects.filter(booking=world.unconfirmed_request).count() == held


def test_a_verified_account_requesting_for_its_own_address_holds_at_once(
    world, django_capture_on_commit_callbacks
):
    from django.test import Client

    user = UserFactory(email="ben@example.org", email_verified_at=timezone.now())
    client = Client()
    client.force_login(user)
    booking = _request(world, client, django_capture_on_commit_callbacks)
    assert booking.status == BookingStatus.REQUESTED
    assert Occupancy.objects.filter(booking=booking).exists()
    # Another address from the same account: confirmed by mail like anyone's.
    other = _request(
        world,
        client,
        django_capture_on_commit_callbacks,
        title="Anders",
        email="x@example.org",
        date="2030-03-08",
    )
    assert other.status == BookingStatus.UNCONFIRMED


def test_the_honeypot_still_refuses_and_writes_nothing(world, client):
    url = reverse("venues:request", kwargs={"venue": world.venue.slug, "slug": world.room.slug})
    response = client.post(url, {**REQUEST, "website_url": "http://spam.example"})
    assert response.status_code == 400
    assert not Booking.objects.filter(title="Spieleabend").exists()
    assert not mail.outbox


def test_the_request_form_is_still_throttled(world, client, settings):
    from django.core.cache import caches

    settings.QUARTIER_THROTTLE_RATES = {"*": [[1, 60]]}
    caches["shared"].clear()
    url = reverse("venues:request", kwargs={"venue": world.venue.slug, "slug": world.room.slug})
    assert client.post(url, REQUEST).status_code == 302
    assert client.post(url, {**REQUEST, "date": "2030-03-08"}).status_code == 429
    assert Booking.objects.filter(title="Spieleabend").count() == 1


def test_erasure_deletes_unconfirmed_requests(world):
    from quartier.core.privacy import Subject

    email = world.unconfirmed_request.requester_email
    privacy.erase(Subject(email=email, user=None))
    assert not Booking.objects.filter(pk=world.unconfirmed_request.pk).exists()
    assert not Booking.history.filter(id=world.unconfirmed_request.pk).exists()


def test_staff_bookings_hold_at_once(world):
    from tests.factories.venues import book

    booking = book(
        world.room, at(2030, 3, 14, 10), at(2030, 3, 14, 12), created_by=world.users["editor"]
    )
    assert booking.status == BookingStatus.CONFIRMED
    assert Occupancy.objects.filter(booking=booking).exists()
