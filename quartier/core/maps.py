"""Map tiles: where the maps' background comes from (QUARTIER_MAP_TILES) and what follows.

A tile server of a third party learns every visitor's address with each tile, so maps whose
tiles come from another host than the site load none before the visitor agrees ("Karte laden",
js/map-tiles.js; remembered in the browser's localStorage). Until then a map shows its markers
on a plain background, and every map has its list beside it. Tiles served by the site itself (a
relative URL or the SITE_URL's host, e.g. a tile cache behind the same proxy) need no consent.

The Content-Security-Policy's img-src is derived from the same setting (settings.py), so
changing the tile server needs no second setting. This module is pure (settings.py imports it).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

DEFAULT_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def is_third_party(url: str, site_url: str) -> bool:
    """Whether tiles from `url` go to another host than the site's own."""
    if not url:
        return False
    scheme, host = _origin(url)
    if not host:  # a relative URL: the site itself
        return False
    return (scheme, host) != _origin(site_url)


def csp_hosts(url: str) -> list[str]:
    """The img-src sources the tile URL needs: its origin, with Leaflet's subdomain
    placeholder {s} as a wildcard. None for relative URLs ('self' covers them) or no URL."""
    scheme, host = _origin(url)
    if not url or not host or scheme not in {"http", "https"}:
        return []
    host = host.replace("{s}", "*")
    if "{" in host or "}" in host:
        raise ValueError(f"QUARTIER_MAP_TILES: only {{s}} may stand in the host of {url!r}")
    return [f"{scheme}://{host}"]


def normalise(config: dict[str, Any] | None, site_url: str) -> dict[str, Any]:
    """The setting with its defaults: url ("" for no background at all), attribution,
    max_zoom, consent (asked before loading tiles; by default when the host is a third party)
    and host (named in the consent notice)."""
    config = dict(config or {})
    url = str(config.get("url", DEFAULT_URL)).strip()
    attribution = str(config.get("attribution", DEFAULT_ATTRIBUTION if url == DEFAULT_URL else ""))
    consent = config.get("consent")
    if consent is None:
        consent = is_third_party(url, site_url)
    return {
        "url": url,
        "attribution": attribution,
        "max_zoom": int(config.get("max_zoom", 19)),
        "consent": bool(consent) and bool(url),
        "host": _origin(url)[1].replace("{s}.", ""),
    }


def tiles() -> dict[str, Any]:
    from django.conf import settings

    return settings.QUARTIER_MAP_TILES
