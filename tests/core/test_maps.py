"""Map tiles (core/maps.py): which tile servers need the visitor's consent, and the
Content-Security-Policy's img-src derived from QUARTIER_MAP_TILES."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from quartier.core import maps

SITE = "https://quartier.example"


@pytest.mark.parametrize(
    ("url", "hosts"),
    [
        (maps.DEFAULT_URL, ["https://tile.openstreetmap.org"]),
        ("https://{s}.tiles.example/{z}/{x}/{y}.png", ["https://*.tiles.example"]),
        ("https://tiles.example:8443/osm/{z}/{x}/{y}.png", ["https://tiles.example:8443"]),
        ("/kacheln/{z}/{x}/{y}.png", []),
        ("", []),
    ],
)
def test_csp_hosts_are_the_tile_urls_origin(url, hosts):
    assert maps.csp_hosts(url) == hosts


def test_csp_hosts_refuse_placeholders_in_the_host_other_than_s():
    with pytest.raises(ValueError, match="only"):
        maps.csp_hosts("https://{a}.tiles.example/{z}/{x}/{y}.png")


def test_the_default_tile_server_is_a_third_party_and_asks_first():
    tiles = maps.normalise({}, SITE)
    assert tiles["url"] == maps.DEFAULT_URL
    assert tiles["consent"] is True
    assert tiles["host"] == "tile.openstreetmap.org"
    assert "OpenStreetMap" in tiles["attribution"]


@pytest.mark.parametrize(
    "url", ["/kacheln/{z}/{x}/{y}.png", "https://quartier.example/kacheln/{z}/{x}/{y}.png"]
)
def test_tiles_from_the_site_itself_need_no_consent(url):
    tiles = maps.normalise({"url": url, "attribution": "© OSM"}, SITE)
    assert tiles["consent"] is False
    assert tiles["attribution"] == "© OSM"


def test_consent_can_be_set_and_no_url_means_no_background():
    assert (
        maps.normalise({"url": "https://t.example/{z}/{x}/{y}.png", "consent": False}, SITE)[
            "consent"
        ]
        is False
    )
    empty = maps.normalise({"url": ""}, SITE)
    assert empty["consent"] is False and empty["url"] == ""


def _img_src(environment: dict[str, str]) -> list[str]:
    """img-src as settings.py computes it from the environment (a fresh interpreter)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTIER_")}
    env.update(environment)
    code = (
        "import json, quartier.settings as s;"
        "print(json.dumps(s._CSP_DIRECTIVES['img-src'], ensure_ascii=False))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_img_src_follows_the_tile_setting():
    assert _img_src({}) == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert _img_src(
        {"QUARTIER_MAP_TILES": json.dumps({"url": "https://{s}.karten.example/{z}/{x}/{y}.png"})}
    ) == ["'self'", "data:", "https://*.karten.example"]
    assert _img_src({"QUARTIER_MAP_TILES": json.dumps({"url": "/kacheln/{z}/{x}/{y}.png"})}) == [
        "'self'",
        "data:",
    ]
    assert _img_src(
        {
            "QUARTIER_MAP_TILES": json.dumps({"url": ""}),
            "QUARTIER_CSP_IMG_HOSTS": "https://bilder.example",
        }
    ) == ["'self'", "data:", "https://bilder.example"]


@pytest.mark.django_db
def test_pages_carry_the_tile_configuration_for_the_script(client):
    html = client.get(reverse("core:imprint"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<meta name="quartier-map-tiles" content="' in html
    assert "&quot;consent&quot;: true" in html
    assert "Karte laden" in html or "Load map" in html
