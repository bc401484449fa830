"""Every write that anonymous visitors may make is throttled (issue 19): walks the role matrix
(tests/<app>/routes.py) for POSTs that anonymous users get through, sets a limit of one write
a minute for every scope (QUARTIER_THROTTLE_RATES "*"), and posts twice: the second must be
429. A new public form without a throttle scope fails here."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from tests.matrix import Route, all_routes, everyone

# Anonymous POSTs that need no throttle, and why.
EXEMPT = {
    # The signed link in a mail is the proof; nothing is mailed and no one else can post it.
    "events:registration_cancel": "signed link",
    "events:signup_cancel": "signed link",
    # One mail at most per link (the place taken); a link used again sends nothing.
    "events:registration_confirm": "signed link",
    "events:signup_confirm": "signed link",
    "alerts:confirm": "signed link",
    "alerts:unsubscribe": "signed link",
    "accounts:signup_confirm": "signed link",
    "venues:cancel": "signed link",
    "venues:confirm": "signed link",  # one set of mails at most per request; used again: none
    "networks:rsvp": "signed link",
    "concerns:track": "signed link",  # the reporter forgets their contact data
    "publications:confirm": "signed link",
    "publications:unsubscribe": "signed link",  # RFC 8058 one-click: no form, no throttle
    # Logins are limited per account and client by django-axes (accounts/lockout.py).
    "accounts:login": "django-axes",
    "admin:login": "django-axes",
    # Only the session changes.
    "set_language": "session only",
    "accounts:logout": "session only",
}


def _anonymous_writes():
    seen = {}
    for route in all_routes():
        status = route.expect.get("anonymous")
        if route.method != "post" or not isinstance(status, int) or not 200 <= status < 400:
            continue
        if route.name in EXEMPT or "token" in route.name:
            continue
        seen.setdefault(route.name, route)
    return sorted(seen.values(), key=lambda route: route.name)


# Public forms the matrix lists only with invalid data: a valid sending of each.
EXTRA = [
    Route(
        "alerts:create",
        everyone(),
        method="post",
        data=lambda w: {"email": "a@example.org", "q": "Kita", "frequency": "daily"},
    ),
    Route(
        "accounts:signup",
        everyone(),
        method="post",
        data=lambda w: {
            "username": "nachbar",
            "email": "nachbar@example.org",
            "password1": "Ein-langes-Passwort-42",
            "password2": "Ein-langes-Passwort-42",
        },
    ),
    Route(
        "networks:contact",
        everyone(),
        kwargs=lambda w: {"slug": w.body.slug},
        method="post",
        data=lambda w: {"name": "Ada", "email": "ada@example.org", "message": "Hallo"},
    ),
]

ANONYMOUS_WRITES = _anonymous_writes() + EXTRA


def test_the_walk_finds_the_public_forms():
    names = {route.name for route in ANONYMOUS_WRITES}
    assert {
        "events:register",
        "events:shift_signup",
        "venues:request",
        "alerts:create",
        "accounts:signup",
        "networks:contact",
    } <= names, names


@pytest.mark.parametrize("route", ANONYMOUS_WRITES, ids=lambda route: route.name)
def test_every_anonymous_write_is_throttled(world, settings, route):
    settings.QUARTIER_THROTTLE_RATES = {"*": [[1, 60]]}
    caches["shared"].clear()
    client = Client()
    url = route.url(world)
    kwargs = {"content_type": route.content_type} if route.content_type else {}
    data = route.data(world) if route.data else {}
    first = client.post(url, data, **kwargs)
    assert first.status_code != 429, route.name
    second = client.post(url, data, **kwargs)
    assert second.status_code == 429, (route.name, second.status_code)
