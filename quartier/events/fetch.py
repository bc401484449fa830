"""Fetching a feed address that staff entered, without letting it reach inside the server's own
networks (server-side request forgery).

Only http and https; the host is resolved and every address it resolves to must be a public
internet address (no private, loopback, link-local, multicast, reserved or unspecified address,
IPv4 or IPv6, nor an IPv4 address wrapped in IPv6). The connection then goes to the address that
was checked, so a second DNS answer cannot swap it. Redirects are followed by hand, each hop
checked the same way, at most MAX_REDIRECTS. Each connect and read has a timeout, the whole
fetch a deadline, and the body a size limit.

`QUARTIER_FEED_ALLOW_PRIVATE=1` lifts the address check for intranet deployments whose member
calendars live on internal servers; scheme, redirect, time and size limits stay.

Outgoing proxies (HTTP_PROXY) are not used: the check must see the address that is connected.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
TIMEOUT = 20  # seconds for one connect or one read
DEADLINE = 60  # seconds for the whole fetch, redirects included
CHUNK = 64 * 1024
NAT64 = ipaddress.ip_network("64:ff9b::/96")
USER_AGENT = "Quartier iCal import"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """The address is refused or the fetch failed; the message is meant for staff."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[IPAddress, ...]


def allow_private() -> bool:
    return bool(settings.QUARTIER_FEED_ALLOW_PRIVATE)


def _kind(address: IPAddress) -> str | None:
    """Why the address is not a public internet address, or None if it is one."""
    if address.is_unspecified:
        return pgettext("address kind", "unspecified address")
    if address.is_loopback:
        return pgettext("address kind", "loopback (this server)")
    if address.is_link_local:
        return pgettext("address kind", "link-local")
    if address.is_multicast:
        return pgettext("address kind", "multicast")
    if address.is_private or getattr(address, "is_site_local", False):
        return pgettext("address kind", "private network")
    if address.is_reserved:
        return pgettext("address kind", "reserved range")
    if not address.is_global:  # shared address space (100.64.0.0/10) and the like
        return pgettext("address kind", "not publicly routable")
    return None


def refusal(address: IPAddress) -> str | None:
    """The kind of a non-public address (judging an IPv4 address wrapped in IPv6 by the IPv4
    address it reaches), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return _kind(address.ipv4_mapped)
        if address in NAT64:  # DNS64 answers for IPv4-only hosts on IPv6-only networks
            return _kind(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour and _kind(address.sixtofour):
            return _kind(address.sixtofour)
    return _kind(address)


def _resolve(host: str, port: int) -> tuple[IPAddress, ...]:
    try:
        return (ipaddress.ip_address(host),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(_("The host %(host)s could not be found.") % {"host": host}) from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(_("The host %(host)s could not be found.") % {"host": host})
    return tuple(addresses)


def check_url(url: str) -> Target:
    """Parse, resolve and vet one address; raises FetchError with a message for staff."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(_("Only http and https addresses can be imported."))
    try:
        host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(_("The feed address is not valid.")) from exc
    if not host:
        raise FetchError(_("The feed address is not valid."))
    addresses = _resolve(host, port)
    if not allow_private():
        for address in addresses:
            kind = refusal(address)
            if kind:
                raise FetchError(
                    _(
                        "%(host)s points to %(address)s (%(kind)s). Only feeds on the public "
                        "internet can be imported."
                    )
                    % {"host": host, "address": address, "kind": kind}
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url, scheme, host, port, path, addresses)


def _connect(addresses: tuple[IPAddress, ...], port: int, timeout: float) -> socket.socket:
    """Open the TCP connection to the first checked address that answers (tests replace this)."""
    error: OSError = OSError("no address")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout=timeout)
        except OSError as exc:
            error = exc
    raise error


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    host = f"[{target.host}]" if ":" in target.host else target.host
    cls = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    connection = cls(host, target.port, timeout=timeout)
    # http.client connects through this attribute; pinning it to the checked address keeps the
    # host name for the Host header and the TLS certificate check (HTTPSConnection.connect).
    connection._create_connection = (  # type: ignore[attr-defined]
        lambda _address, timeout=timeout, _source=None: _connect(
            target.addresses, target.port, timeout
        )
    )
    return connection


def _read(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    too_large = FetchError(_("The feed is larger than %(limit)s bytes.") % {"limit": max_bytes})
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise too_large
    data = bytearray()
    while chunk := response.read(min(CHUNK, max_bytes + 1 - len(data))):
        data += chunk
        if len(data) > max_bytes:
            raise too_large
        if time.monotonic() > deadline:
            raise FetchError(_("The feed took too long to download."))
    return bytes(data)


def fetch(url: str, *, max_bytes: int, timeout: float = TIMEOUT) -> bytes:
    """GET a feed under the rules above and return its body."""
    deadline = time.monotonic() + DEADLINE
    for _hop in range(MAX_REDIRECTS + 1):
        if time.monotonic() > deadline:
            raise FetchError(_("The feed took too long to download."))
        target = check_url(url)
        connection = _connection(target, timeout)
        response = None
        try:
            connection.request(
                "GET",
                target.path,
                headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"},
            )
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECT_STATUSES and location:
                url = urljoin(target.url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(
                    _("The feed server answered with HTTP status %(status)s.")
                    % {"status": response.status}
                )
            return _read(response, max_bytes, deadline)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(
                _("The feed could not be fetched: %(error)s") % {"error": exc}
            ) from exc
        finally:
            # With "Connection: close" http.client hands the socket to the response alone.
            if response is not None:
                response.close()
            connection.close()
    raise FetchError(
        _("The feed address redirects more than %(limit)s times.") % {"limit": MAX_REDIRECTS}
    )
