"""The feed fetcher's guard against server-side request forgery (events.fetch).

DNS is faked (tests/events/conftest.py). HTTP goes to a small server on this machine:
`fetch._connect` is replaced so that the connection meant for a checked public address lands
there, and every address the fetcher asked for is recorded.
"""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading

import pytest
from django.utils import translation

from quartier.events import fetch, importer
from quartier.events.fetch import FetchError, check_url
from quartier.events.models import Event
from tests.events.conftest import FAKE_DNS
from tests.events.test_importer import NOW, VEREIN, _serve
from tests.factories.events import IcalFeedFactory

SMALL_ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
    b"DTSTART:20300101T100000Z\r\nSUMMARY:A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/feed.ics": (200, {"Content-Type": "text/calendar"}, SMALL_ICS),
    "/moved": (301, {"Location": "http://kalender.example.org/feed.ics"}, b""),
    "/relative": (302, {"Location": "/feed.ics"}, b""),
    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    "/to-intern": (307, {"Location": "http://intern.example.org/feed.ics"}, b""),
    "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/missing": (404, {}, b"not here"),
    "/big": (200, {"Content-Length": "100000"}, b"x" * 100000),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.seen.append((self.headers["Host"], self.path))
        if self.path == "/stream":  # no Content-Length: the body ends when the server closes
            self.send_response(200)
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"y" * 1000)
            return
        status, headers, body = ROUTES[self.path]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(monkeypatch):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    httpd.connected = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def connect(addresses, port, timeout):
        httpd.connected.append((tuple(str(a) for a in addresses), port))
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(httpd.server_address)
        return sock

    monkeypatch.setattr(fetch, "_connect", connect)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_fetches_a_public_feed_from_the_checked_address(server):
    data = fetch.fetch("http://kalender.example.org/feed.ics", max_bytes=10_000)
    assert data == SMALL_ICS
    assert server.connected == [(("93.184.215.14",), 80)]
    # The Host header names the host, not the address connected to.
    assert server.seen == [("kalender.example.org", "/feed.ics")]


def test_follows_redirects_checking_each_hop(server):
    assert fetch.fetch("http://x.example.org/moved", max_bytes=10_000) == SMALL_ICS
    assert fetch.fetch("http://x.example.org/relative", max_bytes=10_000) == SMALL_ICS
    assert [path for _host, path in server.seen] == [
        "/moved",
        "/feed.ics",
        "/relative",
        "/feed.ics",
    ]
    assert server.seen[1][0] == "kalender.example.org"


@pytest.mark.parametrize(
    ("path", "address"),
    [("/to-metadata", "169.254.169.254"), ("/to-intern", "10.0.0.5")],
)
def test_refuses_a_redirect_to_a_private_address(server, path, address):
    with pytest.raises(FetchError, match=address.replace(".", r"\.")):
        fetch.fetch(f"http://x.example.org{path}", max_bytes=10_000)
    assert len(server.connected) == 1  # the private target was never connected to


def test_refuses_a_redirect_to_another_scheme_and_endless_redirects(server):
    with pytest.raises(FetchError, match="http"):
        fetch.fetch("http://x.example.org/to-file", max_bytes=10_000)
    with pytest.raises(FetchError, match=str(fetch.MAX_REDIRECTS)):
        fetch.fetch("http://x.example.org/loop", max_bytes=10_000)
    assert len([path for _host, path in server.seen if path == "/loop"]) == 6


def test_refuses_oversized_bodies_with_and_without_a_length(server):
    with pytest.raises(FetchError, match="10000"):
        fetch.fetch("http://x.example.org/big", max_bytes=10_000)
    with pytest.raises(FetchError, match="10000"):
        fetch.fetch("http://x.example.org/stream", max_bytes=10_000)
    assert len(fetch.fetch("http://x.example.org/stream", max_bytes=50_000)) == 50_000


def test_reports_http_errors_and_an_exceeded_deadline(server, monkeypatch):
    with pytest.raises(FetchError, match="404"):
        fetch.fetch("http://x.example.org/missing", max_bytes=10_000)
    monkeypatch.setattr(fetch, "DEADLINE", -1)
    with pytest.raises(FetchError):
        fetch.fetch("http://x.example.org/feed.ics", max_bytes=10_000)
    assert len(server.seen) == 1


REFUSED = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.178.1",
    "169.254.169.254",  # link-local (cloud metadata)
    "224.0.0.251",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "0.0.0.0",  # unspecified
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",  # deprecated site-local
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2001:db8::1",  # documentation
]


@pytest.mark.parametrize("address", REFUSED)
def test_refuses_every_non_public_address_class(address, monkeypatch):
    connected = []
    monkeypatch.setattr(fetch, "_connect", lambda *args: connected.append(args))
    host = f"[{address}]" if ":" in address else address
    with translation.override("en"), pytest.raises(FetchError, match="public internet"):
        check_url(f"http://{host}/k.ics")
    with pytest.raises(FetchError):
        fetch.fetch(f"https://{host}:8443/k.ics", max_bytes=100)
    assert connected == []


@pytest.mark.parametrize(
    "host",
    ["intern.example.org", "metadata.example.org", "gemischt.example.org", "v6-mapped.example.org"],
)
def test_refuses_host_names_that_resolve_to_a_non_public_address(host):
    with pytest.raises(FetchError, match=host):
        check_url(f"https://{host}/k.ics")


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("http://93.184.215.14/k.ics", ["93.184.215.14"]),
        ("http://[2606:2800:21f::1]:8080/k.ics", ["2606:2800:21f::1"]),
        ("http://[::ffff:8.8.8.8]/k.ics", ["::ffff:8.8.8.8"]),
        ("https://verein.example.org/k.ics", FAKE_DNS["verein.example.org"]),
    ],
)
def test_accepts_public_addresses(url, addresses):
    assert check_url(url).addresses == tuple(ipaddress.ip_address(a) for a in addresses)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://verein.example.org/k.ics", "gopher://x/", "http:///k"]
)
def test_refuses_other_schemes_and_addresses_without_host(url):
    with pytest.raises(FetchError):
        check_url(url)


def test_unknown_hosts_are_named(settings):
    with pytest.raises(FetchError, match=r"gibt-es-nicht\.example\.org"):
        check_url("https://gibt-es-nicht.example.org/k.ics")


def test_private_addresses_may_be_allowed_for_intranets(settings):
    settings.QUARTIER_FEED_ALLOW_PRIVATE = True
    assert check_url("http://intern.example.org/k.ics").host == "intern.example.org"
    with pytest.raises(FetchError):
        check_url("file:///etc/passwd")
    settings.QUARTIER_FEED_ALLOW_PRIVATE = False
    with pytest.raises(FetchError):
        check_url("http://intern.example.org/k.ics")


def test_the_refusal_reads_well_in_german_and_english():
    with translation.override("de"), pytest.raises(FetchError) as german:
        check_url("http://intern.example.org/k.ics")
    assert "privates Netz" in str(german.value) and "öffentlichen Internet" in str(german.value)
    with translation.override("en"), pytest.raises(FetchError) as english:
        check_url("http://intern.example.org/k.ics")
    assert str(english.value) == (
        "intern.example.org points to 10.0.0.5 (private network). Only feeds on the public "
        "internet can be imported."
    )


@pytest.mark.django_db
def test_a_feed_whose_host_turned_private_keeps_its_events_and_shows_why(monkeypatch):
    feed = IcalFeedFactory(url="https://kalender.example.org/verein.ics")
    with monkeypatch.context() as patch:
        _serve(patch, VEREIN)
        assert importer.feed_import(feed=feed, now=NOW).error == ""
    before = list(Event.objects.values_list("pk", "title", "status", "sequence"))
    assert before
    # The host's DNS answer changed after the feed was saved (the real fetch_feed runs now).
    monkeypatch.setitem(FAKE_DNS, "kalender.example.org", ["192.168.0.10"])
    result = importer.feed_import(feed=feed, now=NOW)
    assert "192.168.0.10" in result.error
    feed.refresh_from_db()
    assert feed.last_error == result.error and "kalender.example.org" in feed.last_error
    assert list(Event.objects.values_list("pk", "title", "status", "sequence")) == before
