"""A weekly series with refused dates (issue 18): each date with its real reason, and a second
step that books the series without them, all or nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from quartier.accounts.models import Role, RoleAssignment
from quartier.venues.models import Booking, BookingException, Occupancy
from tests.factories.accounts import UserFactory
from tests.factories.venues import ClosingDayFactory, OpeningHoursFactory, at, book

pytestmark = pytest.mark.django_db

# Tuesdays 12 March to 9 April 2030: five dates, 18:00-20:00; the world's room has a
# 15-minute buffer after each booking.
SERIES = {
    "title": "AK Wohnumfeld",
    "date": "2030-03-12",
    "start_time": "18:00",
    "end_time": "20:00",
    "repeat": "weekly",
    "repeat_days": ["TU"],
    "until": "2030-04-09",
}


def _url(world) -> str:
    return reverse("backoffice:venues:booking_new", kwargs={"pk": world.room.pk})


def _outsider(world) -> Client:
    """Staff of another organisation that may book the room but sees no one else's booking."""
    user = UserFactory(username="gast")
    RoleAssignment.objects.create(
        user=user, role=Role.EDITOR, organisation=world.other_organisation
    )
    world.room.bookable_by.add(world.other_organisation)
    client = Client()
    client.force_login(user)
    return client


def _obstacles(world) -> None:
    """One date per reason: booked, buffer after, buffer before, closed."""
    book(world.room, at(2030, 3, 19, 19), at(2030, 3, 19, 21), title="Chor Geheim")
    book(world.room, at(2030, 3, 26, 16), at(2030, 3, 26, 18), title="Kita-Fest")
    book(world.room, at(2030, 4, 2, 20), at(2030, 4, 2, 22), title="Yoga")
    ClosingDayFactory(
        venue=world.venue,
        first_day=dt.date(2030, 4, 9),
        last_day=dt.date(2030, 4, 9),
        reason="Umzug",
    )


def test_each_refused_date_says_its_real_reason_and_names_only_visible_bookings(world):
    _obstacles(world)
    response = world.client("editor").post(_url(world), SERIES)
    assert response.status_code == 409
    html = response.content.decode()
    assert "4 von 5 Terminen der Serie können nicht gebucht werden" in html
    assert "Der Raum ist zu dieser Zeit belegt: „Chor Geheim“" in html
    assert "Zu kurz nach „Kita-Fest“, das um 18:00 endet" in html
    assert "Zu kurz vor „Yoga“, das um 20:00 beginnt" in html
    assert "15 Minuten" in html
    assert "geschlossen (Umzug)" in html
    assert "Serie ohne die belegten Termine buchen" in html
    # The rule in plain German, never as RRULE.
    assert "jede Woche am Dienstag, bis 9. April 2030" in html
    assert "FREQ=" not in html and "RRULE" not in html
    assert not Booking.objects.filter(title="AK Wohnumfeld").exists()
    # Someone who may book the room but not see the other bookings: reasons without names.
    html = _outsider(world).post(_url(world), SERIES).content.decode()
    assert "Chor Geheim" not in html and "Kita-Fest" not in html and "Yoga" not in html
    assert "Saal ist bereits belegt" in html
    assert "Zu kurz nach einer anderen Buchung, die um 18:00 endet" in html
    assert "Zu kurz vor einer anderen Buchung, die um 20:00 beginnt" in html


def test_the_series_is_booked_without_the_refused_dates(world):
    _obstacles(world)
    client = world.client("editor")
    held_before = Occupancy.objects.count()
    first = client.post(_url(world), SERIES)
    skip = first.context["skip"]
    assert len(skip) == 4
    response = client.post(_url(world), {**SERIES, "skip": skip})
    assert response.status_code == 302
    series = Booking.objects.get(title="AK Wohnumfeld")
    held = set(series.occupancies.values_list("occurrence_start", flat=True))
    assert held == {at(2030, 3, 12, 18)}
    exceptions = set(series.exceptions.values_list("occurrence_start", flat=True))
    assert exceptions == {
        at(2030, 3, 19, 18),
        at(2030, 3, 26, 18),
        at(2030, 4, 2, 18),
        at(2030, 4, 9, 18),
    }
    assert Occupancy.objects.count() == held_before + 9  # 8 cells and the buffer


def test_a_date_taken_between_the_two_steps_refuses_the_whole_series(world):
    book(world.room, at(2030, 3, 19, 18), at(2030, 3, 19, 20), title="Erste Buchung")
    client = world.client("editor")
    skip = client.post(_url(world), SERIES).context["skip"]
    assert len(skip) == 1
    # Meanwhile another date is taken.
    book(world.room, at(2030, 4, 2, 18), at(2030, 4, 2, 20), title="Dazwischen")
    held_before = Occupancy.objects.count()
    response = client.post(_url(world), {**SERIES, "skip": skip})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Inzwischen sind weitere Termine belegt" in html
    assert "„Dazwischen“" in html
    assert not Booking.objects.filter(title="AK Wohnumfeld").exists()
    assert not BookingException.objects.filter(booking__title="AK Wohnumfeld").exists()
    assert Occupancy.objects.count() == held_before
    # The offer now leaves out both dates.
    skip = response.context["skip"]
    assert len(skip) == 2
    assert client.post(_url(world), {**SERIES, "skip": skip}).status_code == 302
    series = Booking.objects.get(title="AK Wohnumfeld")
    assert series.occupancies.values("occurrence_start").distinct().count() == 3


def test_opening_hours_that_refuse_every_date_offer_nothing_to_skip(world):
    OpeningHoursFactory(venue=world.venue, weekday=0)  # Mondays only
    response = world.client("editor").post(_url(world), SERIES)
    assert response.status_code == 409
    html = response.content.decode()
    assert html.count("außerhalb der Öffnungszeiten") == 5
    assert "Serie ohne die belegten Termine buchen" not in html
    assert not Booking.objects.filter(title="AK Wohnumfeld").exists()


def test_more_attendees_than_the_room_holds_are_refused(world):
    response = world.client("editor").post(_url(world), {**SERIES, "attendees": "40"})
    assert response.status_code == 400
    assert "höchstens 12 Personen" in response.content.decode()
    assert not Booking.objects.filter(title="AK Wohnumfeld").exists()


def test_a_bad_skip_list_is_refused_with_a_message(world):
    response = world.client("editor").post(_url(world), {**SERIES, "skip": ["gestern"]})
    assert response.status_code == 400
    assert "auszulassenden Termine sind nicht gültig" in response.content.decode()
    assert not Booking.objects.filter(title="AK Wohnumfeld").exists()


@pytest.mark.parametrize("role", ["resident", None])
def test_who_may_not_book_cannot_use_the_second_step(world, role):
    book(world.room, at(2030, 3, 19, 18), at(2030, 3, 19, 20))
    client = world.client(role) if role else Client()
    skip = [at(2030, 3, 19, 18).isoformat()]
    response = client.post(_url(world), {**SERIES, "skip": skip})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login" in response["Location"] or "anmelden" in response["Location"]
    assert not Booking.objects.filter(title="AK Wohnumfeld").exists()


def test_a_single_booking_names_the_real_reason(world):
    book(world.room, at(2030, 3, 12, 16), at(2030, 3, 12, 18), title="Kita-Fest")
    data = {k: v for k, v in SERIES.items() if k not in ("repeat", "repeat_days", "until")}
    response = world.client("editor").post(_url(world), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Zu kurz nach „Kita-Fest“, das um 18:00 endet" not in html  # the form has no names
    assert "Zu kurz nach einer anderen Buchung, die um 18:00 endet" in html


def test_the_api_answers_409_for_a_taken_slot_and_422_for_a_closed_day(world):
    ClosingDayFactory(
        venue=world.venue, first_day=dt.date(2030, 4, 9), last_day=dt.date(2030, 4, 9)
    )
    client = world.client("editor")
    body = {"room": world.room.pk, "title": "API"}
    closed = client.post(
        reverse("api:venues_booking_create"),
        data=json.dumps(
            {**body, "start": "2030-04-09T18:00:00+02:00", "end": "2030-04-09T20:00:00+02:00"}
        ),
        content_type="application/json",
    )
    assert closed.status_code == 422
    assert "geschlossen" in closed.content.decode()
    buffer = client.post(
        reverse("api:venues_booking_create"),
        data=json.dumps(
            {**body, "start": "2030-03-05T20:00:00+01:00", "end": "2030-03-05T21:00:00+01:00"}
        ),
        content_type="application/json",
    )
    assert buffer.status_code == 409
    assert "Zu kurz nach einer anderen Buchung, die um 20:00 endet" in buffer.json()["message"]
