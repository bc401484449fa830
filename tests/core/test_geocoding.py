"""core/geocoding.py: each step (known place, geocoder, postcode centre), its order, the
geocoder off by default and failing without breaking anything, bad input, the import command.

The geocoder is a local fake HTTP server or a fake transport: never the internet."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from quartier.core import geocoding
from quartier.core.geocoding import Precision, Source, geocode
from tests.factories.directory import OrganisationFactory
from tests.factories.offers import LocationFactory

TRIER_54294 = (49.744, 6.6188)  # the shipped table's centre of 54294 (GeoNames, median)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    cache.clear()
    monkeypatch.setattr(geocoding, "_MIN_INTERVAL", 0.0)
    yield
    cache.clear()


class FakeGeocoder(BaseHTTPRequestHandler):
    """Answers like Nominatim: a status and a body set per test; records the requests."""

    status = 200
    body: object = []
    requests: list = []

    def do_GET(self):
        type(self).requests.append((self.path, dict(self.headers)))
        payload = json.dumps(type(self).body).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    handler = type("Handler", (FakeGeocoder,), {"requests": [], "status": 200, "body": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.QUARTIER_GEOCODER_URL = f"http://127.0.0.1:{httpd.server_port}/search"
    settings.QUARTIER_GEOCODER_KIND = "nominatim"
    settings.QUARTIER_GEOCODER_USER_AGENT = "Quartier-Test/1 (test@example.org)"
    settings.QUARTIER_GEOCODER_TIMEOUT = 3
    yield handler
    httpd.shutdown()
    httpd.server_close()


def test_normalised_streets_and_postcodes():
    assert geocoding.normalise_street("Lange Straße 5 a") == geocoding.normalise_street(
        "lange  str. 5a"
    )
    assert geocoding.normalise_street("Am Stern 12") != geocoding.normalise_street("Am Stern 21")
    assert geocoding.normalise_postcode(" 54290 ") == "54290"
    assert geocoding.normalise_postcode("D-54290") == "54290"
    for bad in ("5429", "542901", "ABCDE", "54 290", ""):
        assert geocoding.normalise_postcode(bad) == ""


def test_the_postcode_centre_step(db):
    result = geocode("Irgendwo 1", "54294", "Trier")
    expected = geocoding.GeocodeResult(*TRIER_54294, Source.POSTCODE_CENTRE, Precision.POSTCODE)
    assert result == expected
    # The whole country is shipped, not only the demo's postcodes.
    assert geocoding.postcode_centre("10115") is not None
    assert geocoding.postcode_centre("80331") is not None
    assert len(geocoding.postcode_table()) > 8000


@pytest.mark.parametrize("postcode", ["5429", "ABCDE", "00000", "99999x", ""])
def test_a_bad_or_unknown_postcode_gives_no_point(db, postcode):
    assert geocoding.postcode_centre(postcode) is None
    assert geocode("Irgendwo 1", postcode, "") is None


def test_nothing_to_look_up_gives_none(db):
    assert geocode("", "", "") is None
    assert geocode("  ", " ", "") is None


def test_the_known_place_step_comes_first_and_skips_estimated_points(db):
    LocationFactory(street="Paulinstraße 7", postcode="54292", lat=49.7601, lon=6.6472)
    LocationFactory(
        street="Paulinstraße 9",
        postcode="54292",
        lat=49.1,
        lon=6.1,
        position_source=Source.POSTCODE_CENTRE,
    )
    found = geocode("Paulinstr. 7", "54292", "Trier")
    assert found == geocoding.GeocodeResult(49.7601, 6.6472, Source.KNOWN_PLACE, Precision.ADDRESS)
    # A place whose own point was only its postcode's centre is no known place.
    assert geocode("Paulinstraße 9", "54292", "Trier").source == Source.POSTCODE_CENTRE
    # Same street, other postcode: not the same place.
    assert geocode("Paulinstraße 7", "54294", "Trier").source == Source.POSTCODE_CENTRE


def test_organisations_are_known_places_too(db):
    OrganisationFactory(street="Am Stern 12", postcode="54294", lat=49.7401, lon=6.6201)
    assert geocode("Am Stern 12", "54294", "").source == Source.KNOWN_PLACE


def test_the_geocoder_is_off_by_default(db, settings, monkeypatch):
    assert settings.QUARTIER_GEOCODER_URL == ""
    assert not geocoding.geocoder_enabled()

    def no_network(*args):
        raise AssertionError("the geocoder was asked although it is off")

    monkeypatch.setattr(geocoding, "_transport", no_network)
    assert geocode("Am Stern 12", "54294", "Trier").source == Source.POSTCODE_CENTRE


def test_the_geocoder_step_with_a_nominatim_server(db, server):
    server.body = [{"lat": "49.7412", "lon": "6.6203", "place_rank": 30, "type": "house"}]
    result = geocode("Am Stern 12", "54294", "Trier")
    assert result == geocoding.GeocodeResult(49.7412, 6.6203, Source.GEOCODER, Precision.ADDRESS)
    (path, headers), *_ = server.requests
    assert path.startswith("/search?")
    assert "street=Am+Stern+12" in path and "postalcode=54294" in path and "countrycodes=de" in path
    assert headers["User-Agent"] == "Quartier-Test/1 (test@example.org)"
    # The answer is cached: the same address is not asked again.
    assert geocode("Am Stern 12", "54294", "Trier") == result
    assert len(server.requests) == 1


def test_a_street_level_answer_says_so(db, server):
    server.body = [{"lat": "49.74", "lon": "6.62", "place_rank": 26}]
    assert geocode("Am Stern", "54294", "Trier").precision == Precision.STREET


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, {"error": "boom"}), (503, []), (200, {"not": "a list"}), (200, [{"lat": "x"}])],
)
def test_a_failing_geocoder_falls_through_to_the_postcode(db, server, status, body):
    server.status, server.body = status, body
    result = geocode("Am Stern 12", "54294", "Trier")
    assert result.source == Source.POSTCODE_CENTRE
    # A failure is not cached: the next save asks again.
    geocode("Am Stern 12", "54294", "Trier")
    assert len(server.requests) == 2


def test_a_geocoder_that_finds_nothing_falls_through_and_is_cached(db, server):
    server.body = []
    assert geocode("Nirgendweg 1", "54294", "Trier").source == Source.POSTCODE_CENTRE
    geocode("Nirgendweg 1", "54294", "Trier")
    assert len(server.requests) == 1


@pytest.mark.parametrize("error", [TimeoutError("timed out"), ConnectionRefusedError()])
def test_a_timeout_or_refused_connection_falls_through(db, settings, monkeypatch, error):
    settings.QUARTIER_GEOCODER_URL = "http://geocoder.invalid/search"
    seen = []

    def failing(url, headers, timeout):
        seen.append(timeout)
        raise error

    monkeypatch.setattr(geocoding, "_transport", failing)
    assert geocode("Am Stern 12", "54294", "Trier").source == Source.POSTCODE_CENTRE
    assert seen == [settings.QUARTIER_GEOCODER_TIMEOUT]
    # Without a postcode there is nothing to fall back to: no point, no exception.
    assert geocode("Am Stern 12", "", "Trier") is None


def test_a_photon_answer(db, settings, monkeypatch):
    settings.QUARTIER_GEOCODER_URL = "http://photon.invalid/api"
    settings.QUARTIER_GEOCODER_KIND = "photon"
    asked = []

    def photon(url, headers, timeout):
        asked.append(url)
        feature = {
            "geometry": {"type": "Point", "coordinates": [6.6203, 49.7412]},
            "properties": {"type": "house", "housenumber": "12"},
        }
        return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()

    monkeypatch.setattr(geocoding, "_transport", photon)
    result = geocode("Am Stern 12", "54294", "Trier")
    assert (result.lat, result.lon, result.source) == (49.7412, 6.6203, Source.GEOCODER)
    assert asked[0].startswith("http://photon.invalid/api?q=Am+Stern+12+54294+Trier")


def test_split_address():
    assert geocoding.split_address("Am Stern 12, 54294 Trier") == ("Am Stern 12", "54294", "Trier")
    assert geocoding.split_address("Spielplatz hinter der Schule") == (
        "Spielplatz hinter der Schule",
        "",
        "",
    )


# --- quartier import_postcodes ---------------------------------------------------------------


def test_import_postcodes_replaces_the_shipped_table(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    source = tmp_path / "DE.txt"
    rows = [
        "DE\t54294\tTrier\tRheinland-Pfalz\tRP\t\t00\tTrier\t07211\t49.70\t6.60\t4",
        "DE\t54294\tTrier-Euren\tRheinland-Pfalz\tRP\t\t00\tTrier\t07211\t49.80\t6.70\t4",
        "DE\t54294\tTrier-Zewen\tRheinland-Pfalz\tRP\t\t00\tTrier\t07211\t49.72\t6.61\t4",
    ]
    source.write_text("\n".join(rows), encoding="utf-8")
    call_command("import_postcodes", str(source), licence="GeoNames, CC BY 4.0")
    table = geocoding.imported_table()
    with gzip.open(table, "rt", encoding="utf-8") as handle:
        text = handle.read()
    assert "GeoNames, CC BY 4.0" in text
    # The imported table is used from now on: the median of its three places.
    assert geocoding.postcode_centre("54294").lat == 49.72
    assert geocoding.postcode_centre("10115") is None  # only what the file holds
    call_command("import_postcodes", reset=True)
    assert geocoding.postcode_centre("10115") is not None


def test_import_postcodes_reads_a_csv_with_a_header(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    source = tmp_path / "plz.csv.gz"
    source.write_bytes(gzip.compress(b"plz;note;lat;lon\n54294;x;49.71;6.61\n"))
    call_command("import_postcodes", str(source))
    assert geocoding.postcode_centre("54294").lat == 49.71


@pytest.mark.parametrize(
    "content", [b"", b"name,city\nA,B\n", b"plz,lat,lon\n5429,49.7,6.6\n54294,999,6.6\n"]
)
def test_import_postcodes_refuses_a_file_without_usable_rows(db, settings, tmp_path, content):
    settings.VAR_DIR = tmp_path / "var"
    source = tmp_path / "bad.csv"
    source.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_postcodes", str(source))
    assert not geocoding.imported_table().exists()
    assert geocoding.postcode_centre("54294").source == Source.POSTCODE_CENTRE


def test_import_postcodes_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command("import_postcodes", str(tmp_path / "missing.csv"))
