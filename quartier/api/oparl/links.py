"""Absolute, canonical URLs of OParl objects and lists.

OParl ids are URLs that must stay the same whichever host name a client used, so they are built
from `settings.SITE_URL` (the operator's canonical address), not from the request's Host header.
Paths use primary keys, never slugs: a renamed network keeps its OParl id.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

SCHEMA = "https://schema.oparl.org/1.1/"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def url(name: str, **kwargs: object) -> str:
    """The absolute URL of the OParl operation `name` (without the `oparl_` prefix)."""
    return absolute(reverse(f"api:oparl_{name}", kwargs=kwargs or None))


def type_uri(name: str) -> str:
    return f"{SCHEMA}{name}"
