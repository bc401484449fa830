"""Back-office editing of a venue (data, opening hours, closing days) and of room photos."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from quartier.venues.models import ClosingDay, OpeningHours, RoomPhoto
from tests.factories.venues import ClosingDayFactory, OpeningHoursFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def _venue_data(**extra):
    return {
        "name": "Nachbarschaftshaus Nord",
        "street": "Pater-Loskyll-Weg 15",
        "postcode": "54294",
        "city": "Trier",
        "email": "raeume@example.org",
        "is_active": "on",
        **_management("hours"),
        **_management("closing"),
        **extra,
    }


def _png(size=(4, 4)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile("saal.png", buffer.getvalue(), content_type="image/png")


def _edit_url(world):
    return reverse("backoffice:venues:venue_edit", kwargs={"pk": world.venue.pk})


def _photos_url(world):
    return reverse("backoffice:venues:room_photos", kwargs={"pk": world.room.pk})


def test_manager_edits_data_hours_and_closing_days(world):
    data = _venue_data(
        house_rules="Bitte lüften.",
        **_management("hours", total=1),
        **{"hours-0-weekday": "1", "hours-0-opens": "09:00", "hours-0-closes": "22:00"},
        **_management("closing", total=1),
        **{
            "closing-0-first_day": "2030-12-24",
            "closing-0-last_day": "2030-12-26",
            "closing-0-reason": "Weihnachten",
        },
    )
    response = world.client("coordinator").post(_edit_url(world), data)
    assert response.status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.house_rules == "Bitte lüften."
    hours = OpeningHours.objects.get(venue=world.venue)
    assert (hours.weekday, hours.opens, hours.closes) == (1, dt.time(9), dt.time(22))
    assert ClosingDay.objects.get(venue=world.venue).reason == "Weihnachten"


def test_manager_removes_opening_hours_and_the_page_lists_them(world):
    hours = OpeningHoursFactory(venue=world.venue, weekday=2)
    closing = ClosingDayFactory(venue=world.venue, reason="Sommerpause")
    client = world.client("editor")
    html = client.get(_edit_url(world)).content.decode()
    assert "Sommerpause" in html and "Öffnungszeiten" in html
    data = _venue_data(
        **_management("hours", total=1, initial=1),
        **{
            "hours-0-id": str(hours.pk),
            "hours-0-venue": str(world.venue.pk),
            "hours-0-weekday": "2",
            "hours-0-opens": "08:00",
            "hours-0-closes": "22:00",
            "hours-0-DELETE": "on",
        },
        **_management("closing", total=1, initial=1),
        **{
            "closing-0-id": str(closing.pk),
            "closing-0-venue": str(world.venue.pk),
            "closing-0-first_day": "2030-12-24",
            "closing-0-last_day": "2030-12-26",
            "closing-0-reason": "Sommerpause",
        },
    )
    assert client.post(_edit_url(world), data).status_code == 302
    assert not OpeningHours.objects.filter(pk=hours.pk).exists()
    assert ClosingDay.objects.filter(pk=closing.pk).exists()


def test_bad_input_saves_nothing_and_says_why(world):
    data = _venue_data(
        name="Neuer Name",
        **_management("hours", total=1),
        **{"hours-0-weekday": "9", "hours-0-opens": "09:00", "hours-0-closes": "kaputt"},
        **_management("closing", total=1),
        **{"closing-0-first_day": "2030-12-26", "closing-0-last_day": "2030-12-24"},
    )
    response = world.client("editor").post(_edit_url(world), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Der letzte Tag darf nicht vor dem ersten Tag liegen." in html
    world.venue.refresh_from_db()
    assert world.venue.name == "Nachbarschaftshaus Nord"
    assert not OpeningHours.objects.filter(venue=world.venue).exists()
    assert not ClosingDay.objects.filter(venue=world.venue).exists()


def test_edit_pages_have_a_query_budget(world, django_assert_max_num_queries):
    for weekday in range(7):
        OpeningHoursFactory(venue=world.venue, weekday=weekday)
        ClosingDayFactory(venue=world.venue, first_day=dt.date(2030, 1, weekday + 1))
    client = world.client("editor")
    index = client.get(reverse("backoffice:venues:index")).content.decode()
    assert _edit_url(world) in index
    with django_assert_max_num_queries(14):
        assert client.get(_edit_url(world)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(_photos_url(world)).status_code == 200


def test_others_may_not_edit_a_venue(world):
    for role in ("resident", "editor", "coordinator", "planner"):
        client = world.client(role)
        url = reverse("backoffice:venues:venue_edit", kwargs={"pk": world.other_venue.pk})
        assert client.post(url, _venue_data(name="Übernommen")).status_code == 403
        photos = reverse("backoffice:venues:room_photos", kwargs={"pk": world.other_room.pk})
        assert client.get(photos).status_code == 403
    world.other_venue.refresh_from_db()
    assert world.other_venue.name == "Haus Anderstadt"


def test_manager_uploads_and_removes_a_photo_with_alt_text(world, client):
    editor = world.client("editor")
    data = {
        **_management("photos", total=1),
        "photos-0-image": _png(),
        "photos-0-alt_text": "Der Saal mit Stuhlkreis",
        "photos-0-position": "0",
    }
    assert editor.post(_photos_url(world), data).status_code == 302
    photo = RoomPhoto.objects.get(room=world.room)
    page = client.get(world.room.get_absolute_url()).content.decode()
    assert 'alt="Der Saal mit Stuhlkreis"' in page
    data = {
        **_management("photos", total=1, initial=1),
        "photos-0-id": str(photo.pk),
        "photos-0-room": str(world.room.pk),
        "photos-0-alt_text": "Der Saal mit Stuhlkreis",
        "photos-0-position": "0",
        "photos-0-DELETE": "on",
    }
    assert editor.post(_photos_url(world), data).status_code == 302
    assert not RoomPhoto.objects.exists()


def test_photo_needs_alt_text_an_allowed_type_and_size(world, settings):
    settings.VENUES_MAX_PHOTO_BYTES = 50
    editor = world.client("editor")
    cases = [
        (
            {"photos-0-image": _png(), "photos-0-alt_text": ""},
            "Dieses Feld ist zwingend erforderlich",
        ),
        (
            {
                "photos-0-image": SimpleUploadedFile("plan.pdf", b"%PDF-1.4", "application/pdf"),
                "photos-0-alt_text": "Plan",
            },
            "gültiges Bild",
        ),
        (
            {
                "photos-0-image": SimpleUploadedFile("saal.gif", _png().read(), "image/gif"),
                "photos-0-alt_text": "Saal",
            },
            "„gif“",
        ),
        (
            {"photos-0-image": _png(size=(400, 400)), "photos-0-alt_text": "Groß"},
            "zu groß",
        ),
    ]
    for fields, message in cases:
        data = {**_management("photos", total=1), "photos-0-position": "0", **fields}
        response = editor.post(_photos_url(world), data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not RoomPhoto.objects.exists()
