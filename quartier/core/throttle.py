"""The one throttle for every anonymous form and API write (sign-up, registrations, room
requests, contact forms, alerts, concerns, ...), counted across workers.

Each public write names a scope ("events.register"); a request counts one hit per client
address (an IPv6 client by its /64) and, where the write mails a typed address, per address.
A scope's limits are windows of (hits, seconds), default `DEFAULT_RATES`, overridden per scope
by `settings.QUARTIER_THROTTLE_RATES` (see README; the key "*" for every scope not named). Over
a limit the write is refused with 429 and the seconds to wait; nothing is written and no mail
is queued.

Counters live in the "shared" cache (settings.CACHES): the cache named by QUARTIER_CACHE_URL
(Redis across several app servers), else a table in the database, so that every worker of
one server counts together. Keys hold a keyed hash (salted_hmac with SECRET_KEY) of the
address, never the address itself; the window's end is the counter's retention.

Client addresses come from `client_address`, which trusts X-Forwarded-For only from the
proxies named in QUARTIER_TRUSTED_PROXIES.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

# (hits, seconds): ten writes a minute and thirty an hour from one client; a person filling in
# forms by hand stays far below, a script does not.
DEFAULT_RATES: tuple[tuple[int, int], ...] = ((10, 60), (30, 3600))
# Per typed e-mail address: mails to one address, whoever asks.
ADDRESS_RATES: tuple[tuple[int, int], ...] = ((3, 600), (10, 86_400))


@dataclass(frozen=True)
class Refusal:
    """The write may not happen now; one may in `retry_after` seconds."""

    scope: str
    retry_after: int


def rates_for(scope: str) -> Sequence[tuple[int, int]]:
    configured: dict[str, Sequence[Sequence[int]]] = getattr(
        settings, "QUARTIER_THROTTLE_RATES", {}
    )
    # "*" stands for every scope not named (tests, or an operator tightening all at once).
    rates = configured.get(scope, configured.get("*"))
    if rates is not None:
        return [(int(hits), int(seconds)) for hits, seconds in rates]
    return DEFAULT_RATES


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(net, strict=False) for net in settings.QUARTIER_TRUSTED_PROXIES
    )


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    REMOTE_ADDR is the client unless it is one of the trusted proxies; then X-Forwarded-For is
    read from the right, skipping the trusted proxies, and the first other entry is the
    client. Entries left of it may be forged by the client and are ignored.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(peer):
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        if not _trusted(hop):
            return hop
    return peer


def _network(address: str) -> str:
    """IPv6 clients count by their /64: one connection usually holds the whole prefix."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _count(scope: str, who: str, rates: Sequence[tuple[int, int]]) -> Refusal | None:
    """Count one hit of `who` in every window of `rates`, or refuse (then count nothing)."""
    cache = caches["shared"]
    now = time.time()
    digest = salted_hmac("quartier.throttle", f"{scope}\0{who}", algorithm="sha256").hexdigest()
    keys = []
    for hits, seconds in rates:
        window = int(now // seconds)
        key = f"throttle:{digest[:40]}:{seconds}:{window}"
        if (cache.get(key) or 0) >= hits:
            return Refusal(scope, max(1, int((window + 1) * seconds - now) + 1))
        keys.append((key, seconds))
    for key, seconds in keys:
        # add() then incr(): atomic on Redis; on the database cache two hits in the same
        # instant may count as one, which a limit of this kind can afford.
        if not cache.add(key, 1, seconds + 1):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, seconds + 1)
    return None


def hit(scope: str, request: HttpRequest, *, address: str = "") -> Refusal | None:
    """Count one write in `scope` by this request's client (and, when given, for the e-mail
    `address` it would mail); a Refusal when a limit is reached, else None."""
    refusal = _count(scope, "client:" + _network(client_address(request)), rates_for(scope))
    if refusal is None and address:
        refusal = _count(scope, "address:" + address.strip().lower(), ADDRESS_RATES)
    return refusal


def refused_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The 429 page: what happened and when to try again."""
    minutes = max(1, round(refusal.retry_after / 60))
    response = render(
        request,
        "errors/429.html",
        {
            "message": _(
                "Too many requests from your connection. Please wait %(minutes)s minute(s) "
                "and try again."
            )
            % {"minutes": minutes}
        },
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


def throttle_post(
    scope: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: every POST counts in `scope`; over the limit it answers 429 without
    calling the view (GET and HEAD pass untouched)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                refusal = hit(scope, request)
                if refusal is not None:
                    return refused_response(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def api_check(scope: str, request: HttpRequest, *, address: str = "") -> None:
    """For API writes: raise ninja's HttpError 429 (JSON `message`) over the limit."""
    from ninja.errors import HttpError

    refusal = hit(scope, request, address=address)
    if refusal is not None:
        raise HttpError(
            429,
            _("Too many requests. Please try again in %(seconds)s seconds.")
            % {"seconds": refusal.retry_after},
        )
