import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from quartier.events import services
from quartier.events.forms import EventForm
from quartier.events.models import Event
from tests.factories.events import EventFactory, IcalFeedFactory, in_days
from tests.factories.venues import RoomFactory

pytestmark = pytest.mark.django_db


def _form(world, **overrides) -> dict:
    start = in_days(20)
    data = {
        "title": "Frühjahrsputz",
        "description": "Wir räumen den Park auf.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "organisations": [world.organisation.pk],
        "areas": [world.district.pk],
        "is_free": "on",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def _png(size: int = 10) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_editor_creates_an_event_for_their_organisation(world):
    client = world.client("editor")
    response = client.post(reverse("backoffice:events:create"), _form(world))
    assert response.status_code == 302
    event = Event.objects.get(title="Frühjahrsputz")
    assert event.created_by == world.users["editor"]
    assert list(event.organisations.all()) == [world.organisation]


def test_editor_cannot_create_an_event_only_for_someone_else(world):
    client = world.client("editor")
    data = _form(world, organisations=[], areas=[world.other_city.pk])
    response = client.post(reverse("backoffice:events:create"), data)
    assert response.status_code == 400
    assert "Ihrer Organisationen" in response.content.decode()
    assert not Event.objects.filter(title="Frühjahrsputz").exists()


def test_form_refuses_end_before_start_and_registration_without_places(world):
    client = world.client("admin")
    start = in_days(3)
    data = _form(
        world,
        ends_at=(start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        registration_required="on",
    )
    response = client.post(reverse("backoffice:events:create"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Das Ende liegt vor dem Beginn" in html and "Zahl der Plätze" in html


def test_image_upload_is_limited_in_type_and_size(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = world.client("admin")
    url = reverse("backoffice:events:create")
    fake = SimpleUploadedFile("bild.png", b"not an image", content_type="image/png")
    response = client.post(url, {**_form(world), "image": fake, "image_alt": "Park"})
    assert response.status_code == 400
    settings.QUARTIER_EVENTS_IMAGE_MAX_BYTES = 50
    big = SimpleUploadedFile("bild.png", _png(40), content_type="image/png")
    response = client.post(url, {**_form(world), "image": big, "image_alt": "Park"})
    assert response.status_code == 400 and "zu groß" in response.content.decode()
    settings.QUARTIER_EVENTS_IMAGE_MAX_BYTES = 1024 * 1024
    good = SimpleUploadedFile("bild.png", _png(), content_type="image/png")
    response = client.post(url, {**_form(world), "image": good, "image_alt": "Park"})
    assert response.status_code == 302
    assert Event.objects.get(title="Frühjahrsputz").image.name.endswith(".png")


def test_edit_raises_sequence_and_cancel_button_cancels(world):
    client = world.client("coordinator")
    url = reverse("backoffice:events:edit", kwargs={"pk": world.event.pk})
    response = client.post(url, _form(world, title="Nordfest 2"))
    assert response.status_code == 302
    world.event.refresh_from_db()
    assert world.event.title == "Nordfest 2" and world.event.sequence == 1
    client.post(reverse("backoffice:events:cancel", kwargs={"pk": world.event.pk}))
    world.event.refresh_from_db()
    assert world.event.is_cancelled


def test_editing_keeps_co_organisers_the_editor_does_not_manage(world):
    world.event.organisations.add(world.other_organisation)
    client = world.client("editor")
    url = reverse("backoffice:events:edit", kwargs={"pk": world.event.pk})
    organisers = [world.organisation.pk, world.other_organisation.pk]
    response = client.post(url, _form(world, title="Nordfest 3", organisations=organisers))
    assert response.status_code == 302
    assert set(world.event.organisations.all()) == {world.organisation, world.other_organisation}


def test_people_page_shows_registrants_to_managers_only(world):
    url = reverse("backoffice:events:people", kwargs={"pk": world.event.pk})
    html = world.client("editor").get(url).content.decode()
    assert world.registration.email in html and world.shift_signup.email in html
    assert world.client("resident").get(url).status_code == 403


def test_people_page_adds_a_shift(world):
    url = reverse("backoffice:events:people", kwargs={"pk": world.event.pk})
    start = world.event.starts_at
    data = {
        "kind": "cleanup",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "needed": 4,
    }
    assert world.client("editor").post(url, data).status_code == 302
    assert world.event.shifts.filter(kind="cleanup", needed=4).exists()


def test_list_and_dashboard_show_managed_events_only(world, django_assert_max_num_queries):
    client = world.client("editor")
    with django_assert_max_num_queries(12):
        html = client.get(reverse("backoffice:events:list")).content.decode()
    assert "Nordfest" in html and "Anderfest" not in html
    html = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "Ihre nächsten Veranstaltungen" in html and "Nordfest" in html


def test_feed_form_adds_a_feed_of_an_own_organisation(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from quartier.events import importer

    monkeypatch.setattr(importer, "fetch_feed", lambda url: b"kaputt")
    client = world.client("editor")
    url = reverse("backoffice:events:feeds")
    data = {"organisation": world.organisation.pk, "url": "https://verein.example.org/k.ics"}
    with django_capture_on_commit_callbacks(execute=True):  # the import is queued on commit
        assert client.post(url, {**data, "is_active": "on"}).status_code == 302
    feed = world.organisation.ical_feeds.get(url=data["url"])
    assert "keine gültige iCalendar-Datei" in feed.last_error  # first import ran
    bad = {"organisation": world.other_organisation.pk, "url": "https://x.example.org/k.ics"}
    assert client.post(url, bad).status_code == 400


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("http://intern.example.org/k.ics", "10.0.0.5 (privates Netz)"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 (link-lokal)"),
        ("http://[::ffff:127.0.0.1]/k.ics", "(Loopback, dieser Server)"),
        ("https://gibt-es-nicht.example.org/k.ics", "nicht gefunden"),
    ],
)
def test_feed_form_refuses_addresses_inside_the_server_networks(world, address, shown):
    client = world.client("editor")
    url = reverse("backoffice:events:feeds")
    response = client.post(url, {"organisation": world.organisation.pk, "url": address})
    assert response.status_code == 400
    html = response.content.decode()
    assert shown in html
    assert 'aria-invalid="true"' in html  # the message belongs to the address field
    assert not world.organisation.ical_feeds.filter(url=address).exists()


def test_feed_form_explains_the_refusal_in_english(world):
    client = world.client("editor")
    response = client.post(
        reverse("backoffice:events:feeds"),
        {"organisation": world.organisation.pk, "url": "http://intern.example.org/k.ics"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "10.0.0.5 (private network). Only feeds on the public internet" in (
        response.content.decode()
    )


class TestRoom:
    """An event in a venue room books it (venues.services.booking_create)."""

    def _create(self, world, room, start, **fields):
        return services.event_create(
            fields={
                "title": "Infoabend",
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2),
                "room": room,
                **fields,
            },
            user=world.users["admin"],
            organisations=[world.organisation],
        )

    def test_event_books_its_room_and_takes_the_venue_address(self, world):
        room = RoomFactory()
        event = self._create(world, room, in_days(30, hour=18))
        assert event.booking is not None and event.booking.room == room
        assert event.booking.source == "event"
        assert event.street == room.venue.street and room.name in event.place_name

    def test_conflict_refuses_the_event_naming_the_slot(self, world):
        room = RoomFactory()
        start = in_days(30, hour=18)
        self._create(world, room, start)
        with pytest.raises(ValidationError) as excinfo:
            self._create(world, room, start + dt.timedelta(hours=1), title="Zweiter Abend")
        assert "bereits belegt" in str(excinfo.value)
        assert not Event.objects.filter(title="Zweiter Abend").exists()

    def test_cancelling_the_event_frees_the_room(self, world):
        room = RoomFactory()
        start = in_days(30, hour=18)
        event = self._create(world, room, start)
        booking = event.booking
        services.event_cancel(event=event)
        booking.refresh_from_db()
        assert booking.status == "cancelled"
        assert self._create(world, room, start, title="Neuer Abend").booking is not None

    def test_moving_the_event_rebooks_the_room(self, world):
        room = RoomFactory()
        start = in_days(30, hour=18)
        event = self._create(world, room, start)
        old = event.booking
        later = start + dt.timedelta(days=1)
        services.event_update(
            event=event, fields={"starts_at": later, "ends_at": later + dt.timedelta(hours=2)}
        )
        old.refresh_from_db()
        event.refresh_from_db()
        assert old.status == "cancelled" and event.booking.start == later

    def test_backoffice_form_shows_the_conflict(self, world):
        room = RoomFactory()
        start = in_days(30, hour=18)
        self._create(world, room, start)
        data = _form(
            world,
            starts_at=start.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            room=room.pk,
        )
        response = world.client("admin").post(reverse("backoffice:events:create"), data)
        assert response.status_code == 400
        assert room.name in response.content.decode()


class TestImportedEvent:
    """The source calendar owns an imported event's title, time, place and description; the
    back office adds to it (importer.IMPORTED_FIELDS, services.FEED_OWNED_FIELDS)."""

    @pytest.fixture
    def imported(self, world):
        feed = IcalFeedFactory(organisation=world.organisation)
        return EventFactory(
            title="Vereinsfest",
            place_name="Hof",
            source_feed=feed,
            source_uid="fest@verein.example.org",
            organisations=[world.organisation],
            areas=[world.district],
        )

    def test_edit_page_shows_the_source_and_locks_the_feed_fields(
        self, world, imported, django_assert_max_num_queries
    ):
        client = world.client("editor")
        url = reverse("backoffice:events:edit", kwargs={"pk": imported.pk})
        with django_assert_max_num_queries(25):
            html = client.get(url).content.decode()
        assert f"Importiert aus dem iCal-Feed von {world.organisation.name}" in html
        assert re.search(r'<input[^>]*name="title"[^>]*disabled', html)
        assert re.search(r'<input[^>]*name="starts_at"[^>]*disabled', html)
        assert not re.search(r'<textarea[^>]*name="accessibility"[^>]*disabled', html)
        assert reverse("backoffice:events:cancel", kwargs={"pk": imported.pk}) not in html

    def test_saving_keeps_feed_fields_and_stores_local_additions(self, world, imported):
        client = world.client("editor")
        url = reverse("backoffice:events:edit", kwargs={"pk": imported.pk})
        address = {name: getattr(imported, name) for name in ("street", "postcode", "city")}
        data = _form(world, title="Umbenannt", accessibility="Stufenloser Zugang", **address)
        assert client.post(url, data).status_code == 302
        imported.refresh_from_db()
        assert imported.title == "Vereinsfest" and imported.place_name == "Hof"
        assert imported.accessibility == "Stufenloser Zugang"
        assert imported.sequence == 0  # nothing subscribers see has changed

    def test_cancel_is_refused_with_a_message(self, world, imported):
        client = world.client("editor")
        url = reverse("backoffice:events:cancel", kwargs={"pk": imported.pk})
        response = client.post(url, follow=True)
        assert "in ihrem Quellkalender abgesagt" in response.content.decode()
        imported.refresh_from_db()
        assert not imported.is_cancelled

    def test_the_service_refuses_changes_the_next_import_would_undo(self, world, imported):
        with pytest.raises(ValidationError, match="Quellkalender"):
            services.event_update(event=imported, fields={"starts_at": in_days(30)})
        with pytest.raises(ValidationError):
            services.event_cancel(event=imported)
        services.event_update(event=imported, fields={"is_published": False, "cost": "5 €"})
        imported.refresh_from_db()
        assert not imported.is_published and imported.cost == "5 €"
        assert imported.starts_at != in_days(30)

    def test_events_of_your_own_stay_editable(self, world):
        form = EventForm(instance=world.event, user=world.users["editor"])
        assert not any(field.disabled for field in form.fields.values())


def test_event_history_shows_the_event_and_its_registrations_to_its_managers(world):
    event = world.event
    event.title = "Nordfest im Park"
    event.save()
    registration = world.registration
    registration.status = "cancelled"
    registration.seat = None
    registration.save()
    url = reverse("backoffice:events:history", kwargs={"pk": event.pk})
    html = world.client("coordinator").get(url).content.decode()
    assert "Nordfest im Park" in html
    assert registration.name in html
    assert world.client("resident").get(url).status_code == 403
