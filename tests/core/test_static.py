"""Production static files: collectstatic with the manifest storage finds every asset, and
pages render with it (a missing manifest entry is a 500 with DEBUG off)."""

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        # The manifest part of production storage, without compression (slow, not under test).
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_collectstatic_gathers_project_and_vendored_assets(manifest_storage):
    for name in (
        "css/quartier.css",
        "vendor/htmx/htmx.min.js",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
    ):
        assert (manifest_storage / name).is_file(), name


def test_pages_render_with_the_manifest_storage(manifest_storage, client, db):
    response = client.get(reverse("areas:home"))
    assert response.status_code == 200
    assert b"/static/css/quartier." in response.content
