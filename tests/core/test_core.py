"""Health checks, error pages, settings parsing, registry and geometry helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quartier import settings as quartier_settings
from quartier.core.geo import BBox
from quartier.core.text import german_slug, unique_slug


def test_healthz_needs_no_database(client):
    # No django_db mark: any database access would fail the test.
    response = client.get(reverse("core:healthz"))
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database(client):
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_unknown_page_gives_the_html_404_page(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Diese Seite gibt es nicht." in response.content.decode()


@pytest.mark.django_db
def test_unknown_api_object_gives_json_404(client):
    response = client.get("/api/areas/gibt-es-nicht")
    assert response.status_code == 404
    assert response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["lat=91&lon=6", "lat=49&lon=181", "lat=abc&lon=6", "lon=6"])
def test_bad_coordinates_give_422_with_field_errors(client, query):
    response = client.get(f"/api/areas/containing?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert body["errors"] and all("field" in e and "message" in e for e in body["errors"])


def test_secret_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("geheim\n", encoding="utf-8")
    monkeypatch.setenv("QUARTIER_TEST_SECRET_FILE", str(secret))
    monkeypatch.setenv("QUARTIER_TEST_SECRET", "from-env")
    assert quartier_settings._read("QUARTIER_TEST_SECRET") == "geheim"
    monkeypatch.delenv("QUARTIER_TEST_SECRET_FILE")
    assert quartier_settings._read("QUARTIER_TEST_SECRET") == "from-env"
    assert quartier_settings._read("QUARTIER_NOT_SET", "default") == "default"


def test_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("QUARTIER_SECRET_KEY", raising=False)
    monkeypatch.delenv("QUARTIER_SECRET_KEY_FILE", raising=False)
    monkeypatch.setattr(quartier_settings, "VAR_DIR", tmp_path)
    first = quartier_settings._secret_key()
    assert len(first) > 40
    assert quartier_settings._secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file", encoding="utf-8")
    monkeypatch.setenv("QUARTIER_SECRET_KEY_FILE", str(key_file))
    assert quartier_settings._secret_key() == "from-a-file"


def test_bbox_parse_refuses_inverted_and_out_of_range():
    assert BBox.parse("6.5,49.7,6.8,49.9") == BBox(6.5, 49.7, 6.8, 49.9)
    for bad in (
        "6.8,49.7,6.5,49.9",
        "6.5,49.9,6.8,49.7",
        "6,91,7,92",
        "1,2,3",
        "a,b,c,d",
        "nan,1,2,3",
    ):
        with pytest.raises(ValueError):
            BBox.parse(bad)


@given(st.text(max_size=80))
def test_bbox_parse_never_fails_unexpectedly(text):
    try:
        box = BBox.parse(text)
    except ValueError:
        return
    assert box.min_lon <= box.max_lon and box.min_lat <= box.max_lat


def test_german_slug_spells_umlauts_out():
    assert german_slug("Trier-Süd") == "trier-sued"
    assert german_slug("Straße am Fluss") == "strasse-am-fluss"
    taken = {"trier-sued", "trier-sued-2"}
    assert unique_slug("Trier-Süd", taken.__contains__) == "trier-sued-3"
    assert unique_slug("???", lambda s: False) == "eintrag"


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        (None, "django.core.cache.backends.locmem.LocMemCache", ""),
        (
            "dbcache://quartier_cache",
            "django.core.cache.backends.db.DatabaseCache",
            "quartier_cache",
        ),
        (
            "rediscache://127.0.0.1:6379/1",
            "django.core.cache.backends.redis.RedisCache",
            "redis://127.0.0.1:6379/1",
        ),
    ],
)
def test_the_default_cache_comes_from_quartier_cache_url(url, backend, location):
    """A shared cache makes the alert sign-up limits exact across workers (docs/operations.md)."""
    env = {k: v for k, v in os.environ.items() if k != "QUARTIER_CACHE_URL"}
    if url:
        env["QUARTIER_CACHE_URL"] = url
    env["DJANGO_SETTINGS_MODULE"] = "quartier.settings"
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    caches = json.loads(output.strip().splitlines()[-1])
    assert caches["default"]["BACKEND"] == backend
    assert caches["default"].get("LOCATION", "") == location
    assert caches["pages"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.django_db
def test_every_dashboard_section_sits_in_the_same_box(admin_client):
    from tests.factories.directory import OrganisationFactory

    OrganisationFactory()
    html = admin_client.get(reverse("backoffice:dashboard")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    boxes = main.split('<div class="dashboard-box"')[1:]
    assert len(boxes) >= 2
    # Each section's heading is inside a box of its own: no section outside the grid.
    assert main.count("<h2") == sum(box.count("<h2") for box in boxes)
