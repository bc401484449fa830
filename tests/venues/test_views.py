"""Public and back-office pages: availability grid, feed, request form, privacy, budgets."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from quartier.venues.models import Booking, BookingStatus
from quartier.venues.tokens import cancel_token
from tests.factories.venues import RoomFactory, at, book


def _room_url(world, **query):
    url = reverse("venues:room", kwargs={"venue": world.venue.slug, "slug": world.room.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_week_view_lists_busy_slots_without_requester_data(world, client):
    response = client.get(_room_url(world, date="2030-03-05"))
    html = response.content.decode()
    assert "18:00–20:00" in html
    assert "reserviert" in html
    assert "Rita" not in html and "rita@example.org" not in html
    assert "Nachbarschaftstreffen" not in html  # titles stay in the back office
    assert 'rel="alternate" type="text/calendar"' in html


@pytest.mark.parametrize("view", ["week", "month"])
def test_availability_answers_with_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries, view
):
    for day in range(1, 28):
        book(world.room, at(2030, 4, day, 8), at(2030, 4, day, 9))
        book(world.room, at(2030, 4, day, 10), at(2030, 4, day, 11))
    book(
        world.room,
        at(2030, 4, 1, 18),
        at(2030, 4, 1, 20),
        recurrence="FREQ=DAILY",
        recurrence_until=dt.date(2030, 4, 30),
    )
    with django_assert_max_num_queries(8):
        response = client.get(_room_url(world, view=view, date="2030-04-10"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("08:00–09:00") >= 7
    assert html.count("reserviert") >= 14


def test_htmx_navigation_gets_the_fragment(world, client):
    url = reverse("venues:availability", kwargs={"venue": world.venue.slug, "slug": "saal"})
    response = client.get(url + "?view=month&date=2030-03-01", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "März 2030" in html
    assert "<caption>" in html


@pytest.mark.django_db
def test_ics_feed_has_busy_slots_only(client):
    """A public request inside the feed's window (30 days back to the rolling horizon): its
    slot is in the feed, its title and requester are not."""
    from quartier.venues.services import Requester

    room = RoomFactory(buffer_minutes=15)
    soon = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    soon += dt.timedelta(days=2)
    book(
        room,
        soon,
        soon + dt.timedelta(hours=2),
        title="Geburtstag Familie Anfrage",
        notes="Schlüssel bei Frau Anfrage",
        source="public",
        requester=Requester(
            name="Rita Anfrage", email="rita@example.org", phone="0651 4711", group="Chor Rita"
        ),
        consent=True,
        now=timezone.now(),
    )
    response = client.get(
        reverse("venues:room_ics", kwargs={"venue": room.venue.slug, "slug": room.slug})
    )
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [event.decoded("DTSTART") for event in events] == [soon]
    assert [str(event["SUMMARY"]) for event in events] == ["Reserviert (angefragt)"]
    for private in (b"Rita", b"rita@", b"4711", b"Anfrage", b"Geburtstag", b"Chor"):
        assert private not in response.content


@pytest.mark.django_db
def test_ics_feed_contains_the_occurrences_of_a_series():
    from quartier.venues.ics import room_calendar

    room = RoomFactory()
    book(
        room,
        at(2030, 3, 5, 18),
        at(2030, 3, 5, 20),
        recurrence="FREQ=WEEKLY;INTERVAL=2",
        recurrence_until=dt.date(2030, 4, 30),
    )
    calendar = Calendar.from_ical(room_calendar(room, now=at(2030, 3, 1)))
    starts = [event.decoded("DTSTART") for event in calendar.walk("VEVENT")]
    assert len(starts) == 5
    assert starts[0] == at(2030, 3, 5, 18)


def test_public_request_form_creates_a_request_and_mails(
    world, client, django_capture_on_commit_callbacks
):
    url = reverse("venues:request", kwargs={"venue": world.venue.slug, "slug": "saal"})
    data = {
        "title": "Spieleabend",
        "date": "2030-03-07",
        "start_time": "22:00",
        "end_time": "01:00",
        "name": "Ben",
        "email": "ben@example.org",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    booking = Booking.objects.get(title="Spieleabend")
    # Anonymous: stored unconfirmed, holding nothing, until the mailed link (test_confirm.py).
    assert booking.status == BookingStatus.UNCONFIRMED
    assert not booking.occupancies.exists()
    assert booking.end - booking.start == dt.timedelta(hours=3)  # past midnight
    assert [message.to for message in mail.outbox] == [["ben@example.org"]]
    assert "/raeume/bestaetigen/" in mail.outbox[0].body


def test_public_request_form_names_the_conflict_and_needs_consent(world, client):
    url = reverse("venues:request", kwargs={"venue": world.venue.slug, "slug": "saal"})
    data = {
        "title": "Doppelt",
        "date": "2030-03-05",
        "start_time": "19:00",
        "end_time": "20:00",
        "name": "Ben",
        "email": "ben@example.org",
        "consent": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "bereits belegt" in response.content.decode()
    assert "18:00–20:00" in response.content.decode()
    response = client.post(url, {**data, "consent": "", "date": "2030-03-08"})
    assert response.status_code == 400


def test_public_request_form_refuses_a_time_that_the_clock_change_skips(world, client):
    url = reverse("venues:request", kwargs={"venue": world.venue.slug, "slug": "saal"})
    response = client.post(
        url,
        {
            "title": "Nacht",
            "date": "2030-03-31",
            "start_time": "02:30",
            "end_time": "04:00",
            "name": "Ben",
            "email": "ben@example.org",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    assert "Zeitumstellung" in response.content.decode()


def test_signed_link_cancels_and_tells_the_venue(world, client, django_capture_on_commit_callbacks):
    url = reverse("venues:cancel", args=[cancel_token(world.room_booking)])
    assert "Diese Buchung stornieren" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    world.room_booking.refresh_from_db()
    assert world.room_booking.status == BookingStatus.CANCELLED
    assert mail.outbox[-1].to == [world.venue.email]


def test_backoffice_booking_page_shows_contact_to_managers(world, django_assert_max_num_queries):
    url = reverse("backoffice:venues:booking", kwargs={"pk": world.room_booking.pk})
    client = world.client("coordinator")
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert "rita@example.org" in html


def test_backoffice_index_has_a_query_budget(world, django_assert_max_num_queries):
    for day in range(1, 20):
        book(world.room, at(2030, 4, day, 8), at(2030, 4, day, 9))
    client = world.client("editor")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("backoffice:venues:index"))
    assert "Nachbarschaftstreffen" in response.content.decode()


def test_backoffice_series_booking_and_skip(world):
    client = world.client("editor")
    response = client.post(
        reverse("backoffice:venues:booking_new", kwargs={"pk": world.room.pk}),
        {
            "title": "AK Wohnumfeld",
            "date": "2030-03-12",
            "start_time": "18:00",
            "end_time": "20:00",
            "repeat": "biweekly",
            "until": "2030-05-31",
        },
    )
    assert response.status_code == 302
    series = Booking.objects.get(title="AK Wohnumfeld")
    assert series.status == BookingStatus.CONFIRMED
    client.post(
        reverse("backoffice:venues:booking_skip", kwargs={"pk": series.pk}),
        {"occurrence": at(2030, 3, 26, 18).isoformat()},
    )
    assert series.exceptions.count() == 1


def test_backoffice_refuses_a_room_with_upcoming_bookings(world):
    client = world.client("admin")
    response = client.post(
        reverse("backoffice:venues:room_delete", kwargs={"pk": world.room.pk}), follow=True
    )
    assert "anstehende Buchung" in response.content.decode()
    assert type(world.room).objects.filter(pk=world.room.pk).exists()


def test_api_conflict_is_409_with_the_slot(world):
    import json

    client = world.client("editor")
    response = client.post(
        reverse("api:venues_booking_create"),
        data=json.dumps(
            {
                "room": world.room.pk,
                "title": "Doppelt",
                "start": "2030-03-05T19:00:00+01:00",
                "end": "2030-03-05T21:00:00+01:00",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert "18:00–20:00" in body["message"]
    assert body["errors"][0]["slot_start"].startswith("2030-03-05T17:00")


def test_api_rule_violation_is_422(world):
    import json

    response = world.client("editor").post(
        reverse("api:venues_booking_create"),
        data=json.dumps(
            {
                "room": world.room.pk,
                "title": "Schief",
                "start": "2030-03-05T19:10:00+01:00",
                "end": "2030-03-05T21:00:00+01:00",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"


def test_api_busy_has_no_titles(world, client):
    response = client.get(
        reverse("api:venues_room_busy", kwargs={"room_id": world.room.pk}),
        {"start": "2030-03-01", "end": "2030-03-10"},
    )
    assert response.json() == [
        {"start": "2030-03-05T17:00:00Z", "end": "2030-03-05T19:00:00Z", "tentative": True}
    ]
