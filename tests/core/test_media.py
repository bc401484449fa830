"""Uploaded media in production (DEBUG off): public files for everyone, the rest behind the
owning app's permission rule, never a 500, never a file outside MEDIA_ROOT."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from quartier.core.media import clean_name
from quartier.networks.models import Document, DocumentVersion
from quartier.venues.models import RoomPhoto
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.networks import BodyFactory
from tests.factories.venues import RoomFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n fake"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    return tmp_path


def _event(published=True):
    event = EventFactory(is_published=published)
    event.image.save("plakat.png", ContentFile(PNG))
    return event


def _document(*, public: bool, body_public: bool = True, with_file: bool = True):
    body = BodyFactory(is_public=body_public)
    document = Document.objects.create(
        body=body, title="Protokoll", visibility="public" if public else "members"
    )
    version = DocumentVersion(document=document, number=1, file_name="Protokoll März.pdf")
    version.file.save("protokoll.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
    version.save()
    if not with_file:
        default_storage.delete(version.file.name)
    return version


def _get(client, name):
    """GET and read the whole body (closing a FileResponse's file)."""
    response = client.get("/media/" + name)
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    if getattr(response, "file_to_stream", None) is not None:
        # Not response.close(): its request_finished signal would close the test's database
        # connection (PostgreSQL, inside the test transaction).
        response.file_to_stream.close()
    return response


def test_debug_is_off_and_public_event_image_is_served(client, settings):
    assert settings.DEBUG is False
    event = _event()
    response = _get(client, event.image.name)
    assert response.status_code == 200
    assert response.body == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]


def test_draft_event_image_needs_the_events_managers(client):
    event = _event(published=False)
    response = _get(client, event.image.name)
    assert response.status_code == 302 and "/konto/" in response["Location"]
    client.force_login(UserFactory())
    assert _get(client, event.image.name).status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _get(client, event.image.name)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_room_photo_public_while_room_active(client):
    room = RoomFactory()
    photo = RoomPhoto(room=room, alt_text="Saal")
    photo.image.save("saal.png", ContentFile(PNG), save=True)
    assert _get(client, photo.image.name).status_code == 200
    room.is_active = False
    room.save(update_fields=["is_active"])
    assert _get(client, photo.image.name).status_code == 302
    client.force_login(UserFactory())
    assert _get(client, photo.image.name).status_code == 403


def test_public_document_is_a_sandboxed_download(client):
    version = _document(public=True)
    response = _get(client, version.file.name)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Protokoll" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("public,body_public", [(False, True), (True, False)])
def test_non_public_document_needs_the_body(client, public, body_public):
    version = _document(public=public, body_public=body_public)
    response = _get(client, version.file.name)
    assert response.status_code == 302 and "/konto/" in response["Location"]
    client.force_login(UserFactory())
    assert _get(client, version.file.name).status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _get(client, version.file.name)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_missing_file_is_404_not_500(client):
    version = _document(public=True, with_file=False)
    assert _get(client, version.file.name).status_code == 404
    event = _event()
    default_storage.delete(event.image.name)
    assert _get(client, event.image.name).status_code == 404


def test_file_no_row_points_at_is_not_served(client):
    default_storage.save("events/2026/verwaist.png", ContentFile(PNG))
    default_storage.save("sonstiges/notiz.txt", ContentFile(b"x"))
    assert _get(client, "events/2026/verwaist.png").status_code == 404
    assert _get(client, "sonstiges/notiz.txt").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "events/../../secret.txt",
        "events/%2e%2e/%2e%2e/secret.txt",
        "%2e%2e/secret.txt",
        "/etc/passwd",
        "events/..%5c..%5csecret.txt",
        "events/x%00.png",
        "events//x.png",
    ],
)
def test_path_traversal_is_404(client, path):
    _event()
    # A NUL character is refused before any view (core.middleware.NulByteGuardMiddleware).
    expected = 400 if "%00" in path else 404
    assert _get(client, path).status_code == expected


def test_clean_name():
    assert clean_name("events/2026/a.png") == "events/2026/a.png"
    for bad in ["", "../a", "a/../b", "/a", "a\\b", "a\x00", "a/./b", "a//b", "a/"]:
        assert clean_name(bad) is None, bad


def test_symlink_out_of_media_root_is_404(client, media):
    event = _event()
    target = media / "media" / event.image.name
    target.unlink()
    target.symlink_to(media / "secret.txt")
    assert _get(client, event.image.name).status_code == 404


def test_nginx_accel_redirect(client, settings):
    settings.QUARTIER_MEDIA_ACCEL = "nginx"
    event = _event()
    response = _get(client, event.image.name)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_media/" + event.image.name
    assert response.content == b""
    version = _document(public=False)
    assert _get(client, version.file.name).status_code == 302  # checked before the proxy


def test_apache_x_sendfile(client, settings, media):
    settings.QUARTIER_MEDIA_ACCEL = "apache"
    event = _event()
    response = _get(client, event.image.name)
    assert response["X-Sendfile"] == str((media / "media" / event.image.name).resolve())
    assert response.content == b""


def test_only_get(client):
    event = _event()
    assert client.post("/media/" + event.image.name).status_code == 405
