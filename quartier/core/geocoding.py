"""Addresses to points: a configured geocoder, the catalogue's known places, postcode centres.

`geocode(street, postcode, city)` tries, in this order, and says which step answered:

1. **known place**: a place the catalogue already has at the same street and postcode with a
   point of its own (set by hand or found by a geocoder; never one that was itself only
   estimated from its postcode). Apps contribute their places with `add_known_places`
   (offers and directory do, in their `ready()`), so core imports none of them. It comes
   before the geocoder because it costs no request to a third party and is the editors' own
   point for that door.
2. **geocoder**: a Nominatim or Photon server at `QUARTIER_GEOCODER_URL` (off while empty, the
   default). One request with a timeout of `QUARTIER_GEOCODER_TIMEOUT` seconds and the
   `QUARTIER_GEOCODER_USER_AGENT`; answers (found or not) are cached, so the same address is
   asked once (Nominatim's usage policy asks for both, and for at most one request a second:
   `_MIN_INTERVAL`). Any failure (timeout, refused, 5xx, nonsense) falls through to step 3
   and is logged as a warning, never raised: saving an offer must not depend on a third
   party.
3. **postcode centre**: the shipped table `core/data/postcode_centres_de.csv.gz` (GeoNames,
   CC BY 4.0; see its header and docs/operations.md), or the table that
   `quartier import_postcodes FILE` wrote to `VAR_DIR/geodata/`. Precision: the postcode
   area, often a few kilometres.

None means nothing matched: the caller tells the editor to set the point by hand.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import logging
import math
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

SHIPPED_TABLE = Path(__file__).resolve().parent / "data" / "postcode_centres_de.csv.gz"
POSTCODE_RE = re.compile(r"^\d{5}$")
CACHE_SECONDS_FOUND = 30 * 86_400
CACHE_SECONDS_MISSING = 86_400
# Nominatim's usage policy: at most one request per second from one application.
_MIN_INTERVAL = 1.0


class Source(models.TextChoices):
    """Where a place's point came from (stored on offers.Location.position_source)."""

    MANUAL = "manual", _("set by hand")
    KNOWN_PLACE = "known_place", _("known place")
    GEOCODER = "geocoder", _("geocoder")
    POSTCODE_CENTRE = "postcode_centre", _("postcode centre")


class Precision(models.TextChoices):
    ADDRESS = "address", _("address")
    STREET = "street", _("street")
    POSTCODE = "postcode", _("postcode area")
    LOCALITY = "locality", _("town or district")


# A point estimated from something coarser than the address: shown to editors as a guess.
ESTIMATED = frozenset({Source.POSTCODE_CENTRE})


@dataclass(frozen=True)
class GeocodeResult:
    lat: float
    lon: float
    source: Source
    precision: Precision


KnownPlaceFinder = Callable[[str, str], "tuple[float, float] | None"]
_known_place_finders: list[KnownPlaceFinder] = []


def add_known_places(finder: KnownPlaceFinder) -> None:
    """Register `finder(normalised_street, postcode) -> (lat, lon) | None` (once per app)."""
    if finder not in _known_place_finders:
        _known_place_finders.append(finder)


_ABBREVIATIONS = (
    (re.compile(r"stra(ss|ß)e\b"), "str"),
    (re.compile(r"\bstr\b\.?"), "str"),
    (re.compile(r"str\."), "str"),
    (re.compile(r"\bpl\.(?=\s|$)"), "platz"),
)


def normalise_street(street: str) -> str:
    """ "Lange Straße 5 a" and "lange str. 5a" alike: lower case, "str", no spaces or dots
    inside the house number, single spaces."""
    text = " ".join((street or "").lower().split())
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"(\d)\s*[-/]?\s*([a-z])\b", r"\1\2", text)  # 5 a, 5-a → 5a
    text = re.sub(r"[.,;]", " ", text)
    return " ".join(text.split())


def normalise_postcode(postcode: str) -> str:
    """Five digits, or "" for anything else ("D-54290" and " 54290 " give "54290")."""
    text = re.sub(r"^(d|de)\s*-\s*", "", (postcode or "").strip().lower())
    return text if POSTCODE_RE.match(text) else ""


def _valid_point(lat: Any, lon: Any) -> tuple[float, float] | None:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


# --- 1. known places -------------------------------------------------------------------------


def known_place(street: str, postcode: str) -> GeocodeResult | None:
    street, postcode = normalise_street(street), normalise_postcode(postcode)
    if not street or not postcode:
        return None
    for finder in _known_place_finders:
        point = finder(street, postcode)
        if point is not None:
            return GeocodeResult(point[0], point[1], Source.KNOWN_PLACE, Precision.ADDRESS)
    return None


# --- 2. the configured geocoder --------------------------------------------------------------


class GeocoderError(Exception):
    """The geocoder could not be asked or gave no usable answer (not: found nothing)."""


Transport = Callable[[str, dict[str, str], float], bytes]


def _urllib_transport(url: str, headers: dict[str, str], timeout: float) -> bytes:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (URL from settings)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.read(1_000_000)


_transport: Transport = _urllib_transport
_last_request = 0.0
_lock = threading.Lock()


def _config() -> tuple[str, str, str, float]:
    url = getattr(settings, "QUARTIER_GEOCODER_URL", "") or ""
    kind = (getattr(settings, "QUARTIER_GEOCODER_KIND", "") or "nominatim").lower()
    agent = getattr(settings, "QUARTIER_GEOCODER_USER_AGENT", "") or (
        f"Quartier (+{getattr(settings, 'SITE_URL', '')})"
    )
    timeout = float(getattr(settings, "QUARTIER_GEOCODER_TIMEOUT", 4.0) or 4.0)
    return url.strip(), kind, agent, timeout


def geocoder_enabled() -> bool:
    return bool(_config()[0])


def _request_url(url: str, kind: str, street: str, postcode: str, city: str) -> str:
    if kind == "photon":
        text = " ".join(part for part in (street, postcode, city) if part)
        params = {"q": text, "limit": "1", "lang": "de"}
    else:  # nominatim: the structured query, limited to Germany
        params = {"format": "jsonv2", "limit": "1", "countrycodes": "de"}
        params.update(
            {k: v for k, v in (("street", street), ("postalcode", postcode), ("city", city)) if v}
        )
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urllib.parse.urlencode(params)}"


def _parse(kind: str, payload: Any) -> GeocodeResult | None:
    """The first hit of a Nominatim (jsonv2) or Photon (GeoJSON) answer; None: no hit."""
    if kind == "photon":
        if not isinstance(payload, dict) or not isinstance(payload.get("features"), list):
            raise GeocoderError("not a Photon answer")
        if not payload["features"]:
            return None
        feature = payload["features"][0]
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
        except (KeyError, TypeError, ValueError) as exc:
            raise GeocoderError("a Photon feature without a point") from exc
        props = feature.get("properties") or {}
        kind_of = props.get("type") or ""
        if kind_of == "house" or props.get("housenumber"):
            precision = Precision.ADDRESS
        elif kind_of == "street":
            precision = Precision.STREET
        else:
            precision = Precision.LOCALITY
    else:
        if not isinstance(payload, list):
            raise GeocoderError("not a Nominatim answer")
        if not payload:
            return None
        hit = payload[0] if isinstance(payload[0], dict) else {}
        lat, lon = hit.get("lat"), hit.get("lon")
        try:
            rank = int(hit.get("place_rank") or 0)
        except (TypeError, ValueError):
            rank = 0
        if rank >= 28:
            precision = Precision.ADDRESS
        elif rank >= 26:
            precision = Precision.STREET
        else:
            precision = Precision.LOCALITY
    point = _valid_point(lat, lon)
    if point is None:
        raise GeocoderError("a point outside the valid range")
    return GeocodeResult(point[0], point[1], Source.GEOCODER, precision)


def _cache_key(url: str) -> str:
    return "geocode:" + hashlib.sha256(url.encode()).hexdigest()


def from_geocoder(street: str, postcode: str, city: str) -> GeocodeResult | None:
    """Ask the configured geocoder; None when it is off, found nothing or failed."""
    global _last_request
    base, kind, agent, timeout = _config()
    if not base or not (street or city or postcode):
        return None
    url = _request_url(base, kind, street, postcode, city)
    key = _cache_key(url)
    cached = cache.get(key)
    if cached is not None:
        return GeocodeResult(*cached) if cached else None
    headers = {"User-Agent": agent, "Accept": "application/json", "Accept-Language": "de"}
    try:
        with _lock:
            wait = _last_request + _MIN_INTERVAL - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, _MIN_INTERVAL))
            _last_request = time.monotonic()
        body = _transport(url, headers, timeout)
        result = _parse(kind, json.loads(body))
    except (OSError, urllib.error.URLError, ValueError, GeocoderError) as exc:
        # OSError covers timeouts and refused connections, URLError/HTTPError the 4xx/5xx,
        # ValueError bad JSON. Not cached: the next save asks again.
        logger.warning("Geocoder %s failed: %s", base, exc)
        return None
    if result is None:
        cache.set(key, (), CACHE_SECONDS_MISSING)
    else:
        cache.set(
            key,
            (result.lat, result.lon, result.source, result.precision),
            CACHE_SECONDS_FOUND,
        )
    return result


# --- 3. postcode centres ---------------------------------------------------------------------


def imported_table() -> Path:
    """Where `quartier import_postcodes` writes its table (used instead of the shipped one)."""
    return Path(settings.VAR_DIR) / "geodata" / "postcode_centres.csv.gz"


def read_table(data: bytes) -> dict[str, tuple[float, float]]:
    """Parse a table of `postcode,lat,lon` rows ("#" lines are comments, a header is allowed)."""
    table: dict[str, tuple[float, float]] = {}
    text = io.StringIO(data.decode("utf-8-sig"))
    for row in csv.reader(line for line in text if not line.startswith("#")):
        if len(row) < 3:
            continue
        postcode = normalise_postcode(row[0])
        point = _valid_point(row[1], row[2])
        if postcode and point:
            table[postcode] = point
    return table


_POSTCODE_COLUMNS = ("postcode", "plz", "postal_code", "postalcode", "zipcode", "zip")
_LAT_COLUMNS = ("lat", "latitude", "y")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "x")


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [cell.strip().lower() for cell in header]
    for name in names:
        if name in cleaned:
            return cleaned.index(name)
    return None


def parse_postcode_source(data: bytes) -> dict[str, tuple[float, float]]:
    """A table of postcode centres from an open-data file, one point per postcode.

    Reads GeoNames' postal code dump (DE.txt: tab-separated, a row per place; its
    latitude/longitude are columns 10 and 11), or a CSV/semicolon file with a header that
    names the postcode ("plz", "postcode", "zipcode"...), latitude and longitude columns
    (OSM-derived "plz-5stellig" centroid tables, the WZB table), or this module's own format.
    Several rows of one postcode (one per place) give their median. Raises ValueError when
    nothing usable is found.
    """
    text = data.decode("utf-8-sig", errors="replace")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise ValueError("The file is empty.")
    points: dict[str, list[tuple[float, float]]] = {}
    first = lines[0]
    if first.count("\t") >= 10:  # GeoNames
        rows = csv.reader(lines, delimiter="\t")
        post_col, lat_col, lon_col, start = 1, 9, 10, 0
    else:
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = csv.reader(lines, delimiter=delimiter)
        header = next(csv.reader([first], delimiter=delimiter))
        if normalise_postcode(header[0]):  # no header: postcode, lat, lon
            post_col, lat_col, lon_col, start = 0, 1, 2, 0
        else:
            found_post = _column(header, _POSTCODE_COLUMNS)
            found_lat, found_lon = _column(header, _LAT_COLUMNS), _column(header, _LON_COLUMNS)
            if found_post is None and header[0].strip() == "":
                found_post = 0  # a pandas index column holds the postcode (WZB table)
            if found_post is None or found_lat is None or found_lon is None:
                raise ValueError(
                    "No postcode, latitude and longitude columns found in the header: "
                    + ", ".join(header)
                )
            post_col, lat_col, lon_col, start = found_post, found_lat, found_lon, 1
    for number, row in enumerate(rows):
        if number < start or len(row) <= max(post_col, lat_col, lon_col):
            continue
        postcode = normalise_postcode(row[post_col])
        point = _valid_point(row[lat_col], row[lon_col])
        if postcode and point:
            points.setdefault(postcode, []).append(point)
    if not points:
        raise ValueError("The file holds no row with a five-digit postcode and a valid point.")
    return {
        postcode: (
            round(statistics.median(p[0] for p in found), 5),
            round(statistics.median(p[1] for p in found), 5),
        )
        for postcode, found in sorted(points.items())
    }


def write_table(path: Path, table: dict[str, tuple[float, float]], *, header: list[str]) -> None:
    """Write `table` as this module's gzipped CSV (comment lines first), replacing `path` at
    once (a temporary file renamed), so a running server never reads half a table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    for line in header:
        out.write(f"# {line}\n")
    out.write("postcode,lat,lon\n")
    for postcode, (lat, lon) in sorted(table.items()):
        out.write(f"{postcode},{lat},{lon}\n")
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(out.getvalue().encode())
    partial.replace(path)


@lru_cache(maxsize=4)
def _table(path: str, mtime: float) -> dict[str, tuple[float, float]]:
    with gzip.open(path, "rb") as handle:
        return read_table(handle.read())


def _table_path() -> Path:
    path = imported_table()
    return path if path.exists() else SHIPPED_TABLE


def postcode_table() -> dict[str, tuple[float, float]]:
    """The postcode centres in use (read once per process and file version)."""
    path = _table_path()
    return _table(str(path), path.stat().st_mtime)


@lru_cache(maxsize=4)
def _credit(path: str, mtime: float) -> list[str]:
    lines = []
    with gzip.open(path, "rt", encoding="utf-8-sig") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            lines.append(line[1:].strip())
    return [line for line in lines if line]


def postcode_table_credit() -> list[str]:
    """The table's own comment lines (source and licence), which the imprint shows: the
    shipped table's licence (CC BY 4.0) asks for the credit wherever its points are used."""
    path = _table_path()
    return _credit(str(path), path.stat().st_mtime)


def postcode_centre(postcode: str) -> GeocodeResult | None:
    postcode = normalise_postcode(postcode)
    if not postcode:
        return None
    point = postcode_table().get(postcode)
    if point is None:
        return None
    return GeocodeResult(point[0], point[1], Source.POSTCODE_CENTRE, Precision.POSTCODE)


# --- all together ----------------------------------------------------------------------------


def geocode(
    street: str, postcode: str, city: str, *, external: bool = True
) -> GeocodeResult | None:
    """The best point for an address, or None (see the module docstring for the order).

    `external=False` keeps the address on this server (no geocoder request), for text that a
    resident typed and that may be their own address."""
    street, city = " ".join((street or "").split()), " ".join((city or "").split())
    postcode_text = (postcode or "").strip()
    if not (street or postcode_text or city):
        return None
    found = known_place(street, postcode_text)
    if found is None and external:
        found = from_geocoder(street, normalise_postcode(postcode_text) or postcode_text, city)
    return found or postcode_centre(postcode_text)


_POSTCODE_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?!\d)")


def split_address(text: str) -> tuple[str, str, str]:
    """A one-line address ("Am Stern 12, 54290 Trier") as (street, postcode, city); parts it
    cannot tell stay in street."""
    text = " ".join((text or "").split())
    match = _POSTCODE_IN_TEXT.search(text)
    if not match:
        return text.strip(" ,"), "", ""
    before, after = text[: match.start()].strip(" ,"), text[match.end() :].strip(" ,")
    return before, match.group(1), after
