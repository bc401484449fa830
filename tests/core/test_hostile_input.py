"""Never a 500 under hostile input (issue 19): huge pagination values on every list API, NUL
characters in every kind of input, booking dates at the ends of the calendar, a document whose
file is gone."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quartier.api.base import api
from quartier.core.pagination import MAX_LIMIT, MAX_OFFSET

HUGE = str(10**20)


def _list_operations() -> list[str]:
    """Paths of every API operation that takes `limit` and `offset`, path parameters filled."""
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            if method == "get" and {"limit", "offset"} <= names:
                found.append(re.sub(r"\{[^}]+\}", "1", path))
    return found


def test_there_are_list_operations_to_check():
    assert len(_list_operations()) >= 5


def test_pagination_bounds_are_in_the_openapi_document():
    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/events/"]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert params["limit"]["maximum"] == MAX_LIMIT
    assert params["offset"]["maximum"] == MAX_OFFSET


@pytest.mark.parametrize("field", ["limit", "offset"])
def test_huge_limit_or_offset_is_422_on_every_list_api(db, client, field):
    for path in _list_operations():
        response = client.get(path, {field: HUGE})
        assert response.status_code == 422, (path, response.status_code)
        assert response.json()["errors"][0]["field"] == field


def test_largest_allowed_offset_answers_an_empty_page(world, client):
    response = client.get("/api/events/", {"offset": MAX_OFFSET, "limit": MAX_LIMIT})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_nul_in_query_parameters_is_400(world, client):
    for path in ("/api/events/", "/api/hsds/services", "/suche/", "/"):
        response = client.get(path, {"q": "a\x00b", "area": "\x00"})
        assert response.status_code == 400, path
    assert "NUL" in client.get("/api/events/", {"area": "\x00"}).json()["message"]


def test_nul_in_a_form_field_is_400_and_nothing_written(world):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    response = world.client("anonymous").post(
        reverse("accounts:signup"),
        {"username": "nul\x00user", "email": "nul@example.org", "password1": "x"},
    )
    assert response.status_code == 400
    assert get_user_model().objects.count() == users


def test_nul_in_a_json_body_is_400(world):
    response = world.client("editor").post(
        reverse("api:venues_booking_create"),
        data=json.dumps({"room": world.room.pk, "title": "Na\x00cht"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "message" in response.json()


def test_an_escaped_backslash_is_no_nul(world):
    # "\\u0000" in JSON is a backslash and "u0000", which PostgreSQL stores fine.
    response = world.client("editor").post(
        reverse("api:venues_booking_create"),
        data=json.dumps({"room": world.room.pk, "title": "\\u0000"}),
        content_type="application/json",
    )
    assert response.status_code == 422  # start and end missing, not the NUL guard


def test_a_nul_byte_inside_an_uploaded_file_is_allowed(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("backoffice:networks:document_upload", kwargs={"slug": world.body.slug})
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 \x00\x01", content_type="application/pdf")
    response = world.client("coordinator").post(
        url, {"title": "Mit Binärem", "kind": "concept", "visibility": "public", "file": pdf}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("9999-12-31T22:00:00+00:00", "9999-12-31T23:00:00+00:00"),
        ("0001-01-01T10:00:00+00:00", "0001-01-01T11:00:00+00:00"),
        ("0001-01-01T00:00:00+14:00", "0001-01-01T01:00:00+14:00"),
    ],
)
def test_booking_at_the_ends_of_the_calendar_is_422(world, start, end):
    from quartier.venues.models import Booking, OpeningHours

    OpeningHours.objects.create(venue=world.venue, weekday=0, opens="08:00", closes="20:00")
    bookings = Booking.objects.count()
    for role in ("editor", "admin"):
        response = world.client(role).post(
            reverse("api:venues_booking_create"),
            data=json.dumps({"room": world.room.pk, "title": "Fern", "start": start, "end": end}),
            content_type="application/json",
        )
        assert response.status_code == 422, (role, response.content)
        assert response.json()["errors"][0]["field"] == "start"
    assert Booking.objects.count() == bookings


@pytest.mark.parametrize(
    ("start", "end"), [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02")]
)
def test_busy_slots_at_the_ends_of_the_calendar_is_422(world, client, start, end):
    response = client.get(
        reverse("api:venues_room_busy", kwargs={"room_id": world.room.pk}),
        {"start": start, "end": end},
    )
    assert response.status_code == 422


def test_document_whose_file_is_missing_is_404(world, settings, tmp_path):
    from quartier.networks.models import Document

    settings.MEDIA_ROOT = tmp_path
    url = reverse("backoffice:networks:document_upload", kwargs={"slug": world.body.slug})
    pdf = SimpleUploadedFile("weg.pdf", b"%PDF-1.4 weg", content_type="application/pdf")
    world.client("coordinator").post(
        url, {"title": "Verloren", "kind": "concept", "visibility": "public", "file": pdf}
    )
    version = Document.objects.get(title="Verloren").versions.get()
    version.file.storage.delete(version.file.name)
    anonymous = world.client("anonymous")
    page = anonymous.get(
        reverse("networks:document", kwargs={"pk": version.document_id, "number": version.number})
    )
    assert page.status_code == 404
