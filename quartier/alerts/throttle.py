"""Limits on confirmation mails, so that the public subscribe form cannot flood an address.

Per address: at most one confirmation mail every ADDRESS_GAP and ADDRESS_PER_DAY a day. Per
client (IP address, an IPv6 client by its /64 prefix): at most CLIENT_PER_HOUR an hour, however
many addresses it types.

What is kept (docs/privacy-alerts.md): in Django's cache, under a keyed hash of the address
and of the IP address (salted_hmac, keyed by SECRET_KEY; neither is stored in clear), the
times of the mails sent, and nothing else. The cache timeout is the retention: a day for an
address, an hour for an IP address.

The counters live wherever the "default" cache does. With the local-memory cache (the
default without QUARTIER_CACHE_URL) each worker process counts on its own, so with N processes
the limits are N times looser; a shared cache (database, Redis, Memcached) makes them exact.
Reading and writing a counter is not atomic: two requests in the same instant may both pass.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass
from typing import Literal

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

ADDRESS_GAP = dt.timedelta(minutes=10)
ADDRESS_PER_DAY = 5
ADDRESS_WINDOW = dt.timedelta(days=1)
CLIENT_PER_HOUR = 20
CLIENT_WINDOW = dt.timedelta(hours=1)

Reason = Literal["address_recent", "address_daily", "client"]


@dataclass(frozen=True)
class Refusal:
    """Why no confirmation mail may go now, and in how many seconds one may."""

    reason: Reason
    retry_after: int


def _key(kind: str, value: str) -> str:
    digest = salted_hmac("quartier.alerts.throttle", value, algorithm="sha256").hexdigest()
    return f"alerts:throttle:{kind}:{digest[:40]}"


def _recent(key: str, now: float, window: dt.timedelta) -> list[float]:
    return [t for t in cache.get(key, []) if t > now - window.total_seconds()]


def _wait(oldest: float, now: float, window: dt.timedelta) -> int:
    """Whole seconds until `oldest` leaves the window (rounded to ms against float noise)."""
    return max(1, math.ceil(round(oldest + window.total_seconds() - now, 3)))


def _network(client: str) -> str:
    """IPv6 clients count by their /64: one connection usually holds the whole prefix."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def reserve(*, address: str, client: str) -> Refusal | None:
    """Count one confirmation mail to `address` asked for by `client`, or say why not.

    Nothing is counted when the answer is a refusal.
    """
    now = timezone.now().timestamp()
    address_key = _key("address", address.strip().lower())
    sent = _recent(address_key, now, ADDRESS_WINDOW)
    if sent and sent[-1] > now - ADDRESS_GAP.total_seconds():
        return Refusal("address_recent", _wait(sent[-1], now, ADDRESS_GAP))
    if len(sent) >= ADDRESS_PER_DAY:
        return Refusal("address_daily", _wait(sent[-ADDRESS_PER_DAY], now, ADDRESS_WINDOW))
    client_key = _key("client", _network(client))
    asked = _recent(client_key, now, CLIENT_WINDOW) if client else []
    if len(asked) >= CLIENT_PER_HOUR:
        return Refusal("client", _wait(asked[-CLIENT_PER_HOUR], now, CLIENT_WINDOW))
    cache.set(address_key, [*sent, now], int(ADDRESS_WINDOW.total_seconds()))
    if client:
        cache.set(client_key, [*asked, now], int(CLIENT_WINDOW.total_seconds()))
    return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address, as the one project-wide throttle reads it: X-Forwarded-For
    only from the proxies named in QUARTIER_TRUSTED_PROXIES (core/throttle.py)."""
    from quartier.core.throttle import client_address as core_client_address

    return core_client_address(request)
